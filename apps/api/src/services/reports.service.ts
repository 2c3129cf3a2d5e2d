// Stats for a range of days and the reconciliation of the books (reports.repository).
import type { TReconciliation, TStats } from "@shop/contracts";
import { type Deps, reader } from "../deps.ts";
import { AppError } from "../errors.ts";
import { reportsRepository } from "../repositories/reports.repository.ts";

const DAY_MS = 86_400_000;
/** The longest range /stats answers, in days (both ends included). */
export const MAX_STATS_DAYS = 366;
/** The range when none is given: the last 30 days, today included. */
export const DEFAULT_STATS_DAYS = 30;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** `from` / `to` are YYYY-MM-DD (UTC), both included; either may be left out. */
export async function getStats(
  deps: Deps,
  input: { from?: string | undefined; to?: string | undefined },
): Promise<TStats> {
  const toMs = input.to ? Date.parse(`${input.to}T00:00:00Z`) : Date.parse(`${day(Date.now())}T00:00:00Z`);
  const fromMs = input.from ? Date.parse(`${input.from}T00:00:00Z`) : toMs - (DEFAULT_STATS_DAYS - 1) * DAY_MS;
  if (fromMs > toMs) throw new AppError("INVALID_DATE_RANGE", "from must not be after to");
  const days = Math.round((toMs - fromMs) / DAY_MS) + 1;
  if (days > MAX_STATS_DAYS) {
    throw new AppError("INVALID_DATE_RANGE", `The range spans ${days} days; at most ${MAX_STATS_DAYS} are allowed`);
  }
  return reportsRepository(reader(deps)).stats(day(fromMs), day(toMs));
}

/** From the roll-ups (exact for everything written through the ledger); `full`: the auditor's whole pass. */
export function getReconciliation(deps: Deps, options: { full?: boolean } = {}): Promise<TReconciliation> {
  return reportsRepository(reader(deps)).reconciliation(options);
}
