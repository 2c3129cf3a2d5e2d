// The whole ledger across users (GET /transactions): its URL parameters (?kind=purchase&user=…&id=…&
// tx=…&from=2026-11-01&to=2026-11-30&size=50&cursor=…, validated by the /transactions route), the
// filter they make (shared with the CSV export) and the query.
import { TRANSACTION_KINDS, ZUuidSchema } from "@shop/contracts";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { type List, ZDaySchema, ZProviderNumberSchema, dayRange, pageSearch, param } from "@/lib/list.ts";
import { type RouterInputs, type RouterOutputs, trpc } from "@/lib/trpc.ts";

export type LedgerPage = RouterOutputs["transactions"]["list"];
export type LedgerTransaction = LedgerPage["items"][number];
export type TransactionFilter = Omit<RouterInputs["transactions"]["list"], "limit" | "offset" | "cursor">;

export const ZTransactionsSearchSchema = z.object({
  ...pageSearch,
  kind: param(z.enum(TRANSACTION_KINDS)),
  user: param(ZUuidSchema),
  account: param(ZUuidSchema),
  product: param(ZUuidSchema),
  /** One entry (a webhook call's ledger entry). */
  id: param(ZUuidSchema),
  /** The credit of a provider transaction_id. */
  tx: param(ZProviderNumberSchema),
  from: param(ZDaySchema),
  to: param(ZDaySchema),
});
export type TransactionsSearch = z.output<typeof ZTransactionsSearchSchema>;
export type TransactionsList = List<TransactionsSearch>;

/** The API's filter for the URL's: days are UTC and both ends included. */
export function transactionFilter(search: TransactionsSearch): TransactionFilter {
  const { kind, user, account, product, id, tx, from, to } = search;
  return {
    id,
    transactionId: tx ? Number(tx) : undefined,
    kind,
    userId: user,
    accountId: account,
    productId: product,
    ...dayRange(from, to),
  };
}

export function useTransactions(list: TransactionsList) {
  return useQuery(
    trpc.transactions.list.queryOptions(
      { ...list.pageInput, ...transactionFilter(list.search) },
      { placeholderData: keepPreviousData },
    ),
  );
}
