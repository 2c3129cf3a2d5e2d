// Users: server-side pagination, search, status filter and sort, kept in the query string (USERS_LIST),
// each user's accounts and balances, and enable / disable with a confirmation.
import { PageHeader } from "@/components/Layout.tsx";
import { Pagination } from "@/components/Pagination.tsx";
import { SearchBox } from "@/components/SearchBox.tsx";
import { Empty, QueryState } from "@/components/States.tsx";
import { useListParams } from "@/hooks/use-list-params.ts";
import { USERS_LIST, useUsers } from "@/features/users/api/get-users.ts";
import { UsersTable } from "@/features/users/components/UsersTable.tsx";

const STATUSES = [
  { value: "", label: "All users" },
  { value: "pending", label: "Pending (never activated)" },
  { value: "active", label: "Active" },
  { value: "disabled", label: "Disabled" },
] as const;

export function UsersPage() {
  const list = useListParams(USERS_LIST);
  const query = useUsers(list);
  const { status } = list.filters;

  return (
    <>
      <PageHeader title="Users" lead="Accounts, balances and access. Disabled users cannot sign in or buy." />

      <div className="toolbar">
        <SearchBox
          label="Search users by login"
          placeholder="Search by login"
          value={list.search}
          onSearch={list.setSearch}
        />
        <div className="toolbar-options">
          <label className="inline-select">
            Show
            <select value={status} onChange={(e) => list.setFilter("status", e.target.value)}>
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
          <Empty title={list.search ? `No users match “${list.search}”` : "No users here"}>
            {list.search || status ? (
              <button type="button" className="button" onClick={list.clear}>
                Show all users
              </button>
            ) : null}
          </Empty>
        }
      >
        {(data) => (
          <>
            <UsersTable users={data.items} list={list} busy={query.isFetching} />
            <Pagination page={list.page} pageSize={list.limit} total={data.total} noun="users" onPage={list.setPage} />
          </>
        )}
      </QueryState>
    </>
  );
}
