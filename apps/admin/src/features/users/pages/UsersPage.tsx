// Users: server-side paging, search, status filter and sort, kept in the URL (the /users route's
// ZUsersSearchSchema), each user's accounts and balances, and enable / disable with a confirmation.
import { Link, getRouteApi } from "@tanstack/react-router";
import { PageHeader } from "@/components/Layout.tsx";
import { ActionsHeader, type Columns, columnsOf, sortableBy } from "@/components/list/DataTable.tsx";
import { type FilterField, clearedFilters } from "@/components/list/FilterBar.tsx";
import { ListView } from "@/components/list/ListView.tsx";
import { Empty } from "@/components/States.tsx";
import { date, money } from "@/lib/format.ts";
import { useList } from "@/lib/list.ts";
import { USERS_SORTING, type UserSort, type UserSummary, useUsers } from "@/features/users/api/get-users.ts";
import { UserActiveButton } from "@/features/users/components/UserActiveButton.tsx";
import { UserBadges } from "@/features/users/components/UserBadges.tsx";

const route = getRouteApi("/_app/users");

const FILTERS: readonly FilterField[] = [
  { type: "search", label: "Search users by login", placeholder: "Search by login" },
  {
    type: "select",
    name: "status",
    label: "Show",
    any: "All users",
    options: [
      { value: "pending", label: "Pending (never activated)" },
      { value: "active", label: "Active" },
      { value: "disabled", label: "Disabled" },
    ],
  },
];

const column = columnsOf<UserSummary>();

const COLUMNS: Columns<UserSummary> = [
  column.accessor("login", {
    header: "User",
    ...sortableBy(USERS_SORTING, "login"),
    meta: { className: "cell-title" },
    cell: ({ row: { original: user } }) => (
      <>
        <Link to="/users/$id" params={{ id: user.id }} className="title">
          {user.login}
        </Link>
        <UserBadges user={user} />
      </>
    ),
  }),
  column.accessor("numericId", { header: "ID", meta: { className: "numeric muted" } }),
  column.accessor("accounts", {
    header: "Accounts and balances",
    meta: { label: "Accounts" },
    cell: ({ row }) => {
      const { accounts } = row.original;
      return accounts.length === 0 ? (
        <span className="muted">No accounts</span>
      ) : (
        <ul className="accounts-inline">
          {accounts.map((account) => (
            <li key={account.id}>
              <span className="muted">#{account.numericId}</span>{" "}
              <span className="money">{money(account.balance)}</span>
            </li>
          ))}
        </ul>
      );
    },
  }),
  column.accessor("totalBalance", {
    header: "Total balance",
    ...sortableBy(USERS_SORTING, "balance"),
    meta: { className: "numeric money" },
    cell: ({ getValue }) => money(getValue()),
  }),
  column.accessor("createdAt", {
    header: "Joined",
    ...sortableBy(USERS_SORTING, "joined"),
    meta: { className: "nowrap" },
    cell: ({ getValue }) => <time dateTime={getValue()}>{date(getValue())}</time>,
  }),
  column.display({
    id: "actions",
    header: ActionsHeader,
    meta: { className: "actions" },
    cell: ({ row: { original: user } }) => (
      <div className="row-actions">
        <Link to="/users/$id" params={{ id: user.id }} className="button button-small">
          History<span className="visually-hidden"> of {user.login}</span>
        </Link>
        <UserActiveButton user={user} size="small" />
      </div>
    ),
  }),
];

const SORT_NAMES: Record<UserSort, string> = { login: "login", joined: "join date", balance: "total balance" };

export function UsersPage() {
  const list = useList(route.useSearch(), USERS_SORTING);
  const query = useUsers(list);
  const filtered = Boolean(list.q || list.search.status);

  return (
    <>
      <PageHeader title="Users" lead="Accounts, balances and access. Disabled users cannot sign in or buy." />
      <ListView
        list={list}
        query={query}
        columns={COLUMNS}
        filters={FILTERS}
        sortable
        noun="users"
        caption={`Users, sorted by ${SORT_NAMES[list.sort]} (${list.order === "asc" ? "ascending" : "descending"})`}
        className="table-users"
        loadingLabel="Loading users…"
        errorTitle="Could not load users"
        rowProps={(user) => ({
          className: user.isActive ? undefined : "row-disabled",
          "data-login": user.login,
        })}
        empty={
          <Empty title={list.q ? `No users match “${list.q}”` : "No users here"}>
            {filtered ? (
              <button type="button" className="button" onClick={() => list.set(clearedFilters(FILTERS))}>
                Show all users
              </button>
            ) : null}
          </Empty>
        }
      />
    </>
  );
}
