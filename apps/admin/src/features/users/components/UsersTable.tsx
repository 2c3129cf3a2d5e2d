// The users of one page, sortable by login, total balance and join date (in the URL): login and
// badges, accounts with balances, the total, join date, and the actions.
import { ActionsHeader, SortHeader, Table } from "@/components/Table.tsx";
import type { Order } from "@/hooks/use-list-params.ts";
import { date, money } from "@/lib/format.ts";
import { Link } from "@/lib/router.tsx";
import type { UserSort, UserSummary, UsersListParams } from "@/features/users/api/get-users.ts";
import { UserActiveButton } from "./UserActiveButton.tsx";
import { UserBadges } from "./UserBadges.tsx";

const SORT_NAMES: Record<UserSort, string> = { login: "login", joined: "join date", balance: "total balance" };

export function UsersTable({
  users,
  list,
  busy,
}: {
  users: readonly UserSummary[];
  list: UsersListParams;
  busy: boolean;
}) {
  const header = (sort: UserSort, label: string, firstOrder: Order, numeric?: boolean) => (
    <SortHeader
      label={label}
      numeric={numeric}
      order={list.sort === sort ? list.order : undefined}
      onSort={() => list.sortBy(sort, firstOrder)}
    />
  );
  const caption = `Users, sorted by ${SORT_NAMES[list.sort]} (${list.order === "asc" ? "ascending" : "descending"})`;
  return (
    <Table caption={caption} busy={busy} className="table-users">
      <thead>
        <tr>
          {header("login", "User", "asc")}
          <th scope="col" className="numeric">
            ID
          </th>
          <th scope="col">Accounts and balances</th>
          {header("balance", "Total balance", "desc", true)}
          {header("joined", "Joined", "desc")}
          <ActionsHeader />
        </tr>
      </thead>
      <tbody>
        {users.map((user) => (
          <tr key={user.id} className={user.isActive ? undefined : "row-disabled"} data-login={user.login}>
            <td data-label="User" className="cell-title">
              <Link to={`/users/${user.id}`} className="title">
                {user.login}
              </Link>
              <UserBadges user={user} />
            </td>
            <td data-label="ID" className="numeric muted">
              {user.numericId}
            </td>
            <td data-label="Accounts">
              {user.accounts.length === 0 ? (
                <span className="muted">No accounts</span>
              ) : (
                <ul className="accounts-inline">
                  {user.accounts.map((account) => (
                    <li key={account.id}>
                      <span className="muted">#{account.numericId}</span>{" "}
                      <span className="money">{money(account.balance)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </td>
            <td data-label="Total balance" className="numeric money">
              {money(user.totalBalance)}
            </td>
            <td data-label="Joined" className="nowrap">
              <time dateTime={user.createdAt}>{date(user.createdAt)}</time>
            </td>
            <td className="actions">
              <div className="row-actions">
                <Link to={`/users/${user.id}`} className="button button-small">
                  History<span className="visually-hidden"> of {user.login}</span>
                </Link>
                <UserActiveButton user={user} size="small" />
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
