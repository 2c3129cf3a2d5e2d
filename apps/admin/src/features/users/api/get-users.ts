// The users list: its URL parameters (?q=…&status=disabled&page=2) and the query they make.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type ListParams, type ListSpec, usePageInRange } from "../../../hooks/use-list-params.ts";
import { type RouterOutputs, trpc } from "../../../lib/trpc.ts";

export type UserPage = RouterOutputs["adminUsers"]["list"];
export type UserSummary = UserPage["items"][number];

export const USERS_LIST = {
  defaultPageSize: 20,
  filters: { status: ["pending", "active", "disabled"] },
} as const satisfies ListSpec<never, "status">;

export type UsersListParams = ListParams<never, "status">;

export function usersQueryOptions(list: UsersListParams) {
  const { status } = list.filters;
  return trpc.adminUsers.list.queryOptions(
    {
      limit: list.limit,
      offset: list.offset,
      search: list.search || undefined,
      status: status === "" ? undefined : (status as "pending" | "active" | "disabled"),
    },
    { placeholderData: keepPreviousData },
  );
}

export function useUsers(list: UsersListParams) {
  const query = useQuery(usersQueryOptions(list));
  usePageInRange(list, query);
  return query;
}
