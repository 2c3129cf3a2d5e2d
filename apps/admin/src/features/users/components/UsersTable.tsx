// The users of one page: login and badges, accounts with balances, join date, and the actions.
import { ActionsHeader, Table } from "../../../components/Table.tsx";
import { date, money } from "../../../lib/format.ts";
import { Link } from "../../../lib/router.tsx";
import type { UserSummary } from "../api/get-users.ts";
import { UserActiveButton } from "./UserActiveButton.tsx";
import { UserBadges } from "./UserBadges.tsx";

export function UsersTable({ users, busy }: { users: readonly UserSummary[]; busy: boolean }) {
  return (
    <Table caption="Users" busy={busy} className="table-users">
      <thead>
        <tr>
          <th scope="col">User</th>
          <th scope="col" className="numeric">
            ID
          </th>
          <th scope="col">Accounts and balances</th>
          <th scope="col">Joined</th>
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
