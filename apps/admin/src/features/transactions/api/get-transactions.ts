// The whole ledger across users (GET /transactions): its URL parameters (?kind=purchase&user=…&
// id=…&tx=…&from=2026-11-01&to=2026-11-30&page=2), the filter they make (shared with the CSV export) and the query.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { TRANSACTION_KINDS } from "@shop/contracts";
import { type ListParams, type ListSpec, usePageInRange } from "@/hooks/use-list-params.ts";
import { type RouterInputs, type RouterOutputs, trpc } from "@/lib/trpc.ts";

export type LedgerPage = RouterOutputs["transactions"]["list"];
export type LedgerTransaction = LedgerPage["items"][number];
export type TransactionFilter = Omit<RouterInputs["transactions"]["list"], "limit" | "offset">;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const TRANSACTIONS_LIST = {
  defaultPageSize: 20,
  pageSizes: [20, 50, 100],
  filters: {
    kind: TRANSACTION_KINDS,
    user: UUID,
    account: UUID,
    product: UUID,
    /** One entry (a webhook call's ledger entry). */
    id: UUID,
    /** The credit of a provider transaction_id. */
    tx: /^[1-9][0-9]{0,15}$/,
    from: DAY,
    to: DAY,
  },
} as const satisfies ListSpec<never, "kind" | "user" | "account" | "product" | "id" | "tx" | "from" | "to">;

export type TransactionsListParams = ListParams<never, keyof typeof TRANSACTIONS_LIST.filters>;

/** The API's filter for the URL's: days are UTC and both ends included. */
export function transactionFilter(list: TransactionsListParams): TransactionFilter {
  const { kind, user, account, product, id, tx, from, to } = list.filters;
  return {
    id: id || undefined,
    transactionId: tx ? Number(tx) : undefined,
    kind: (kind || undefined) as TransactionFilter["kind"],
    userId: user || undefined,
    accountId: account || undefined,
    productId: product || undefined,
    from: from ? `${from}T00:00:00.000Z` : undefined,
    to: to ? `${to}T23:59:59.999Z` : undefined,
  };
}

export function useTransactions(list: TransactionsListParams) {
  const query = useQuery(
    trpc.transactions.list.queryOptions(
      { limit: list.limit, offset: list.offset, ...transactionFilter(list) },
      { placeholderData: keepPreviousData },
    ),
  );
  usePageInRange(list, query);
  return query;
}
