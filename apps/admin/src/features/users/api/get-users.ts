// The users list: its URL parameters (?q=…&status=disabled&sort=balance&order=desc&size=50&cursor=…,
// validated by the /users route) and the query they make.
import { type TUserSort, USER_SORTS } from "@shop/contracts";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { type List, type SortSpec, pageSearch, param, searchParam, sortSearch } from "@/lib/list.ts";
import { type RouterOutputs, trpc } from "@/lib/trpc.ts";

export type UserPage = RouterOutputs["adminUsers"]["list"];
export type UserSummary = UserPage["items"][number];
export type UserSort = TUserSort;

export const USER_STATUSES = ["pending", "active", "disabled"] as const;

export const ZUsersSearchSchema = z.object({
  ...pageSearch,
  q: searchParam,
  ...sortSearch(USER_SORTS),
  status: param(z.enum(USER_STATUSES)),
});
export type UsersSearch = z.output<typeof ZUsersSearchSchema>;

export const USERS_SORTING: SortSpec<UserSort> = {
  // The API's default: in the order they joined.
  defaultSort: "joined",
  defaultOrder: "asc",
  firstOrder: (sort) => (sort === "login" ? "asc" : "desc"),
};

export type UsersList = List<UsersSearch, UserSort>;

export function useUsers(list: UsersList) {
  return useQuery(
    trpc.adminUsers.list.queryOptions(
      {
        ...list.pageInput,
        search: list.q || undefined,
        status: list.search.status,
        sort: list.sort,
        order: list.order,
      },
      { placeholderData: keepPreviousData },
    ),
  );
}
