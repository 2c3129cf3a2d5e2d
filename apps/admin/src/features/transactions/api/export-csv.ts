// The CSV export of the filtered ledger: GET /transactions.csv takes the list's filters and the same
// bearer token (lib/download.ts).
import { downloadFile } from "@/lib/download.ts";
import type { TransactionFilter } from "./get-transactions.ts";

export function downloadTransactionsCsv(filter: TransactionFilter): Promise<void> {
  const query = new URLSearchParams(
    Object.entries(filter).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])),
  );
  return downloadFile(
    `/transactions.csv${query.size > 0 ? `?${query}` : ""}`,
    `transactions-${new Date().toISOString().slice(0, 10)}.csv`,
  );
}
