// A user's transaction history (credits, purchases, refunds, adjustments; newest first), paged in the
// URL of the user's page (?size=50&cursor=…, validated by the /users/$id route).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { type List, pageSearch } from "@/lib/list.ts";
import { type RouterOutputs, trpc } from "@/lib/trpc.ts";

export type Transaction = RouterOutputs["adminUsers"]["transactions"]["items"][number];

export const ZUserHistorySearchSchema = z.object(pageSearch);
export type UserHistorySearch = z.output<typeof ZUserHistorySearchSchema>;

/** `enabled`: the history waits for the user (a missing user has none to show). */
export function useUserTransactions(id: string, list: List<UserHistorySearch>, enabled: boolean) {
  return useQuery(
    trpc.adminUsers.transactions.queryOptions(
      { id, ...list.pageInput },
      { placeholderData: keepPreviousData, enabled },
    ),
  );
}
