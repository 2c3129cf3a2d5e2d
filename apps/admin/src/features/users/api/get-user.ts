// One user, with accounts and balances.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { type RouterOutputs, trpc } from "@/lib/trpc.ts";

export type UserDetail = RouterOutputs["adminUsers"]["get"];

export function useUser(id: string) {
  return useQuery(trpc.adminUsers.get.queryOptions({ id }));
}

/** Fetches every cached users query again: lists, details and histories (the "Refresh" button). */
export function useRefreshUsers() {
  const queryClient = useQueryClient();
  return useCallback(() => void queryClient.invalidateQueries(trpc.adminUsers.pathFilter()), [queryClient]);
}
