// One user: status, accounts with balances (adjustable), and the full transaction history (credits,
// purchases with Refund, refunds, adjustments), paged in the URL (the /users/$id route).
import { Link, getRouteApi } from "@tanstack/react-router";
import { useMemo } from "react";
import { PageHeader } from "@/components/Layout.tsx";
import { ListView } from "@/components/list/ListView.tsx";
import { Empty, ErrorState, Loading } from "@/components/States.tsx";
import { appCode } from "@/lib/errors.ts";
import { date } from "@/lib/format.ts";
import { lastSearch, useList } from "@/lib/list.ts";
import { ledgerColumns, ledgerRowProps } from "@/features/transactions/components/ledger-columns.tsx";
import { AdjustBalanceButton } from "@/features/transactions/components/MoneyMoveDialog.tsx";
import { useRefreshUsers, useUser } from "@/features/users/api/get-user.ts";
import { useUserTransactions } from "@/features/users/api/get-user-transactions.ts";
import type { UsersSearch } from "@/features/users/api/get-users.ts";
import { AccountCards } from "@/features/users/components/AccountCards.tsx";
import { AccountAuthorizations } from "@/features/users/components/AccountAuthorizations.tsx";
import { UserActiveButton } from "@/features/users/components/UserActiveButton.tsx";
import { UserBadges } from "@/features/users/components/UserBadges.tsx";

const route = getRouteApi("/_app/users/$id");

export function UserDetailPage() {
  const { id } = route.useParams();
  const list = useList(route.useSearch());
  const user = useUser(id);
  const history = useUserTransactions(id, list, user.isSuccess);
  const refresh = useRefreshUsers();
  const login = user.data?.login;
  const columns = useMemo(() => ledgerColumns({ login: login ?? "" }), [login]);

  const back = (
    <Link to="/users" search={lastSearch<UsersSearch>("/users")} className="back-link">
      <span aria-hidden="true">← </span>All users
    </Link>
  );

  if (user.isPending) return <Loading label="Loading user…" />;
  if (user.isError) {
    const missing = appCode(user.error) === "USER_NOT_FOUND";
    return (
      <>
        {back}
        <PageHeader title="User" />
        <ErrorState
          error={user.error}
          title={missing ? "This user does not exist" : "Could not load the user"}
          onRetry={missing ? undefined : () => void user.refetch()}
        />
      </>
    );
  }

  const u = user.data;
  const refreshing = user.isFetching || history.isFetching;

  return (
    <>
      {back}
      <PageHeader
        title={
          <>
            {u.login} <UserBadges user={u} />
          </>
        }
        lead={
          <>
            User #{u.numericId} · joined {date(u.createdAt)} ·{" "}
            {u.isActive ? "can sign in and buy" : "cannot sign in or buy"}
          </>
        }
      >
        <button type="button" className="button" onClick={refresh} disabled={refreshing}>
          {refreshing ? "Refreshing…" : "Refresh"}
        </button>
        <UserActiveButton user={u} />
      </PageHeader>

      <section aria-labelledby="accounts-heading" className="section">
        <h2 id="accounts-heading">Accounts</h2>
        <AccountCards
          accounts={u.accounts}
          actions={(account) => (
            <>
              <AdjustBalanceButton account={account} login={u.login} />{" "}
              <Link
                to="/accounts/$id/statement"
                params={{ id: account.id }}
                className="button button-small button-quiet"
              >
                Statement<span className="visually-hidden"> of account #{account.numericId}</span>
              </Link>
            </>
          )}
        />
        {u.accounts.map((account) => (
          <AccountAuthorizations key={account.id} account={account} />
        ))}
      </section>

      <section aria-labelledby="history-heading" className="section">
        <h2 id="history-heading">Transaction history</h2>
        <ListView
          list={list}
          query={history}
          columns={columns}
          noun="transactions"
          caption={`Transactions of ${u.login}, newest first`}
          className="table-history"
          loadingLabel="Loading history…"
          errorTitle="Could not load the history"
          keepDataOnError={false}
          rowProps={ledgerRowProps}
          empty={
            <Empty title="No transactions yet">
              <p>Credits from the payment provider and purchases appear here.</p>
            </Empty>
          }
        />
      </section>
    </>
  );
}
