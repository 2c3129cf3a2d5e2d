// A user's transaction history (credits and purchases, newest first), paged in the URL (?page=2).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type ListParams, type ListSpec, usePageInRange } from "@/hooks/use-list-params.ts";
import { type RouterOutputs, trpc } from "@/lib/trpc.ts";

export type Transaction = RouterOutputs["adminUsers"]["transactions"]["items"][number];

export const HISTORY_LIST = { defaultPageSize: 20 } as const satisfies ListSpec;

/** `enabled`: the history waits for the user (a missing user has none to show). */
export function useUserTransactions(id: string, list: ListParams, enabled: boolean) {
  const query = useQuery(
    trpc.adminUsers.transactions.queryOptions(
      { id, limit: list.limit, offset: list.offset },
      { placeholderData: keepPreviousData, enabled },
    ),
  );
  usePageInRange(list, query);
  return query;
}
