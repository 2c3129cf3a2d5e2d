// Statements and the balance at an instant, for an account's owner or an administrator.
import { STATEMENT_CSV_COLUMNS, STATEMENT_MAX_DAYS, type TBalanceAt, type TStatement } from "@shop/contracts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { statementsRepository } from "../repositories/statements.repository.ts";
import { csvLine } from "./csv.ts";

const DAY_MS = 86_400_000;
/** The window when `from` is not given: the 30 days before `to`. */
const DEFAULT_DAYS = 30;

const accountNotFound = () => new AppError("ACCOUNT_NOT_FOUND", "Account not found");

/**
 * The window [from, to) in milliseconds (the ledger keeps times to the millisecond, so a finer `from` or
 * `to` would make the answer's bounds differ from the ones applied).
 */
function window(input: { from?: string | undefined; to?: string | undefined }, now = Date.now()) {
  const to = input.to === undefined ? now : Date.parse(input.to);
  const from = input.from === undefined ? to - DEFAULT_DAYS * DAY_MS : Date.parse(input.from);
  if (from > to) throw new AppError("INVALID_DATE_RANGE", "`from` must not be after `to`");
  if (to - from > STATEMENT_MAX_DAYS * DAY_MS) {
    throw new AppError("INVALID_DATE_RANGE", `A statement covers at most ${STATEMENT_MAX_DAYS} days`);
  }
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/**
 * The statement of an account: of the user `ownerId`'s (404 for anyone else's), or of any account for an
 * administrator (`ownerId` null).
 */
export async function getStatement(
  { db }: Pick<Deps, "db">,
  input: { accountId: string; from?: string | undefined; to?: string | undefined; ownerId: string | null },
): Promise<TStatement> {
  const { from, to } = window(input);
  const found = await statementsRepository(db).window({ accountId: input.accountId, from, to, ownerId: input.ownerId });
  if (!found) throw accountNotFound();
  return { accountId: input.accountId, from, to, ...found };
}

/**
 * A statement as CSV: a row "opening balance" at `from`, the entries oldest first, a row "closing
 * balance" at `to` (balanceAfter carries both balances), so the file stands on its own in a spreadsheet.
 */
export function statementCsv(statement: TStatement): string {
  const balanceRow = (at: string, kind: string, balance: string) =>
    csvLine(STATEMENT_CSV_COLUMNS.map((c) => ({ createdAt: at, kind, balanceAfter: balance })[c as string] ?? null));
  return [
    csvLine(STATEMENT_CSV_COLUMNS),
    balanceRow(statement.from, "opening balance", statement.openingBalance),
    ...statement.entries.map((tx) => csvLine(STATEMENT_CSV_COLUMNS.map((c) => tx[c]))),
    balanceRow(statement.to, "closing balance", statement.closingBalance),
  ].join("");
}

/** The posted balance of an account at an instant (default now), for its owner or an administrator. */
export async function getBalanceAt(
  { db }: Pick<Deps, "db">,
  input: { accountId: string; at?: string | undefined; ownerId: string | null },
): Promise<TBalanceAt> {
  const at = new Date(input.at === undefined ? Date.now() : Date.parse(input.at)).toISOString();
  const balance = await statementsRepository(db).balanceAt({ accountId: input.accountId, at, ownerId: input.ownerId });
  if (balance === null) throw accountNotFound();
  return { accountId: input.accountId, at, balance };
}
