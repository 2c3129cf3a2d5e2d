// One user: status, accounts with balances (adjustable), and the full transaction history (credits,
// purchases with Refund, refunds, adjustments), paginated in the URL (HISTORY_LIST).
import { PageHeader } from "../../../components/Layout.tsx";
import { Pagination } from "../../../components/Pagination.tsx";
import { Empty, ErrorState, Loading, QueryState } from "../../../components/States.tsx";
import { listPath, useListParams } from "../../../hooks/use-list-params.ts";
import { AdjustBalanceButton } from "../../transactions/components/MoneyMoveDialog.tsx";
import { appCode } from "../../../lib/errors.ts";
import { date } from "../../../lib/format.ts";
import { Link } from "../../../lib/router.tsx";
import { useRefreshUsers, useUser } from "../api/get-user.ts";
import { HISTORY_LIST, useUserTransactions } from "../api/get-user-transactions.ts";
import { LedgerTable } from "../../transactions/components/LedgerTable.tsx";
import { AccountCards } from "../components/AccountCards.tsx";
import { UserActiveButton } from "../components/UserActiveButton.tsx";
import { UserBadges } from "../components/UserBadges.tsx";

export function UserDetailPage({ id }: { id: string }) {
  const list = useListParams(HISTORY_LIST);
  const user = useUser(id);
  const history = useUserTransactions(id, list, user.isSuccess);
  const refresh = useRefreshUsers();

  const back = (
    <Link to={listPath("/users")} className="back-link">
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
              <Link to={`/accounts/${account.id}/statement`} className="button button-small button-quiet">
                Statement<span className="visually-hidden"> of account #{account.numericId}</span>
              </Link>
            </>
          )}
        />
      </section>

      <section aria-labelledby="history-heading" className="section">
        <h2 id="history-heading">Transaction history</h2>
        <QueryState
          query={history}
          loadingLabel="Loading history…"
          errorTitle="Could not load the history"
          keepDataOnError={false}
          empty={
            <Empty title="No transactions yet">
              <p>Credits from the payment provider and purchases appear here.</p>
            </Empty>
          }
        >
          {(data) => (
            <>
              <LedgerTable
                transactions={data.items}
                owner={u}
                caption={`Transactions of ${u.login}, newest first`}
                busy={history.isFetching}
              />
              <Pagination
                page={list.page}
                pageSize={list.limit}
                total={data.total}
                noun="transactions"
                onPage={list.setPage}
              />
            </>
          )}
        </QueryState>
      </section>
    </>
  );
}
