// Users: server-side pagination and search (?q=…&status=disabled&page=2), each user's accounts and
// balances, and enable / disable with a confirmation.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useCallback, useEffect } from "react";
import { PageHeader } from "../components/Layout.tsx";
import { Pagination } from "../components/Pagination.tsx";
import { SearchBox } from "../components/SearchBox.tsx";
import { Empty, QueryState } from "../components/States.tsx";
import { UserActiveButton } from "../components/UserActiveButton.tsx";
import { UserBadges } from "../components/UserBadges.tsx";
import { date, money, pageParam } from "../format.ts";
import { Link, useLocation, useSearchParams } from "../router.tsx";
import { trpc } from "../trpc.ts";
import { rememberList } from "./list-return.ts";

const PAGE_SIZE = 20;
const STATUSES = [
  { value: "", label: "All users" },
  { value: "active", label: "Enabled" },
  { value: "disabled", label: "Disabled" },
] as const;

export function UsersPage() {
  const { path, fullPath } = useLocation();
  const [search, update] = useSearchParams();
  const q = search.get("q")?.trim() ?? "";
  const page = pageParam(search.get("page"), PAGE_SIZE);
  const status = search.get("status") === "active" ? "active" : search.get("status") === "disabled" ? "disabled" : "";

  useEffect(() => rememberList(path, fullPath), [path, fullPath]);

  const query = useQuery(
    trpc.adminUsers.list.queryOptions(
      {
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
        search: q || undefined,
        isActive: status === "" ? undefined : status === "active",
      },
      { placeholderData: keepPreviousData },
    ),
  );

  const total = query.data?.total;
  useEffect(() => {
    if (total === undefined || query.isPlaceholderData) return;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (page > pages) update({ page: pages === 1 ? undefined : String(pages) }, { replace: true });
  }, [total, page, query.isPlaceholderData, update]);

  const onSearch = useCallback((text: string) => update({ q: text, page: undefined }, { replace: true }), [update]);

  return (
    <>
      <PageHeader title="Users" lead="Accounts, balances and access. Disabled users cannot sign in or buy." />

      <div className="toolbar">
        <SearchBox label="Search users by login" placeholder="Search by login" value={q} onSearch={onSearch} />
        <div className="toolbar-options">
          <label className="inline-select">
            Show
            <select value={status} onChange={(e) => update({ status: e.target.value, page: undefined })}>
              {STATUSES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>

      <QueryState
        query={query}
        loadingLabel="Loading users…"
        errorTitle="Could not load users"
        empty={
          <Empty title={q ? `No users match “${q}”` : "No users here"}>
            {q || status ? (
              <button
                type="button"
                className="button"
                onClick={() => update({ q: undefined, status: undefined, page: undefined })}
              >
                Show all users
              </button>
            ) : null}
          </Empty>
        }
      >
        {(data) => (
          <>
            <div className="table-wrap" aria-busy={query.isFetching}>
              <table className="table table-users">
                <caption className="visually-hidden">Users</caption>
                <thead>
                  <tr>
                    <th scope="col">User</th>
                    <th scope="col" className="numeric">
                      ID
                    </th>
                    <th scope="col">Accounts and balances</th>
                    <th scope="col">Joined</th>
                    <th scope="col" className="actions">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((user) => (
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
              </table>
            </div>
            <Pagination
              page={page}
              pageSize={PAGE_SIZE}
              total={data.total}
              noun="users"
              onPage={(next) => update({ page: next === 1 ? undefined : String(next) })}
            />
          </>
        )}
      </QueryState>
    </>
  );
}
