// The CSV export of the filtered ledger: GET /transactions.csv takes the list's filters and the same
// bearer token, so it is fetched (a plain link would carry no token) and handed to the browser as a file.
import { getSession } from "@/lib/session.ts";
import type { TransactionFilter } from "./get-transactions.ts";

export async function downloadTransactionsCsv(filter: TransactionFilter): Promise<void> {
  const query = new URLSearchParams(
    Object.entries(filter).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])),
  );
  const token = getSession()?.token;
  const response = await fetch(`/transactions.csv${query.size > 0 ? `?${query}` : ""}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { message?: string } | null;
    throw new Error(body?.message ?? `The export failed (HTTP ${response.status})`);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = `transactions-${new Date().toISOString().slice(0, 10)}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
