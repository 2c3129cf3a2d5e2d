// An account's statement (GET /accounts/{id}/statement) for a range of whole days in UTC, and its CSV
// (the same path with ?format=csv, through lib/download.ts).
import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { downloadFile } from "@/lib/download.ts";
import { type RouterOutputs, trpc } from "@/lib/trpc.ts";

export type Statement = RouterOutputs["statements"]["account"];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The page's search parameters: the days shown (UTC, both included); anything else is dropped. */
export const ZStatementSearchSchema = z.object({
  from: z.string().regex(DAY).optional().catch(undefined),
  to: z.string().regex(DAY).optional().catch(undefined),
});

/** Days `from`…`to` (YYYY-MM-DD, both included) as the API's window [from 00:00Z, the day after `to`). */
export function windowOf(fromDay: string, toDay: string) {
  const after = new Date(`${toDay}T00:00:00.000Z`);
  after.setUTCDate(after.getUTCDate() + 1);
  return { from: `${fromDay}T00:00:00.000Z`, to: after.toISOString() };
}

export function useStatement(accountId: string, fromDay: string, toDay: string) {
  return useQuery(trpc.statements.account.queryOptions({ id: accountId, ...windowOf(fromDay, toDay) }));
}

export function downloadStatementCsv(accountId: string, fromDay: string, toDay: string): Promise<void> {
  const query = new URLSearchParams({ ...windowOf(fromDay, toDay), format: "csv" });
  return downloadFile(`/accounts/${accountId}/statement?${query}`, `statement-${accountId}-${fromDay}-${toDay}.csv`);
}
