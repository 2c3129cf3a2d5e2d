// The users list: its URL parameters (?q=…&status=disabled&sort=balance&order=desc&page=2) and the
// query they make.
import { type TUserSort, USER_SORTS } from "@shop/contracts";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type ListParams, type ListSpec, usePageInRange } from "@/hooks/use-list-params.ts";
import { type RouterOutputs, trpc } from "@/lib/trpc.ts";

export type UserPage = RouterOutputs["adminUsers"]["list"];
export type UserSummary = UserPage["items"][number];
export type UserSort = TUserSort;

export const USERS_LIST = {
  defaultPageSize: 20,
  sorts: USER_SORTS,
  // The API's default: in the order they joined.
  defaultSort: "joined",
  defaultOrder: (sort) => (sort === "balance" ? "desc" : "asc"),
  filters: { status: ["pending", "active", "disabled"] },
} as const satisfies ListSpec<UserSort, "status">;

export type UsersListParams = ListParams<UserSort, "status">;

export function usersQueryOptions(list: UsersListParams) {
  const { status } = list.filters;
  return trpc.adminUsers.list.queryOptions(
    {
      limit: list.limit,
      offset: list.offset,
      search: list.search || undefined,
      status: status === "" ? undefined : (status as "pending" | "active" | "disabled"),
      sort: list.sort,
      order: list.order,
    },
    { placeholderData: keepPreviousData },
  );
}

export function useUsers(list: UsersListParams) {
  const query = useQuery(usersQueryOptions(list));
  usePageInRange(list, query);
  return query;
}
