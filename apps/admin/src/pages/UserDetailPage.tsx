// One user: status, accounts with balances, and the full transaction history (credits from the
// payment provider and purchases), paginated in the URL (?page=2).
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { PageHeader } from "../components/Layout.tsx";
import { Pagination } from "../components/Pagination.tsx";
import { Empty, ErrorState, Loading, QueryState } from "../components/States.tsx";
import { UserActiveButton } from "../components/UserActiveButton.tsx";
import { UserBadges } from "../components/UserBadges.tsx";
import { date, dateTime, money, pageParam, sumMoney } from "../format.ts";
import { Link, useSearchParams } from "../router.tsx";
import { errorCode, trpc } from "../trpc.ts";
import { listPath } from "./list-return.ts";

const PAGE_SIZE = 20;

export function UserDetailPage({ id }: { id: string }) {
  const [search, update] = useSearchParams();
  const page = pageParam(search.get("page"), PAGE_SIZE);
  const queryClient = useQueryClient();

  const user = useQuery(trpc.adminUsers.get.queryOptions({ id }));
  const history = useQuery(
    trpc.adminUsers.transactions.queryOptions(
      { id, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
      { placeholderData: keepPreviousData, enabled: user.isSuccess },
    ),
  );

  const back = (
    <Link to={listPath("/users")} className="back-link">
      <span aria-hidden="true">← </span>All users
    </Link>
  );

  if (user.isPending) return <Loading label="Loading user…" />;
  if (user.isError) {
    const missing = errorCode(user.error) === "NOT_FOUND";
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
  const refresh = () => void queryClient.invalidateQueries(trpc.adminUsers.pathFilter());

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
        {u.accounts.length === 0 ? (
          <Empty title="No accounts yet">
            <p>An account is opened by the first payment credited to this user.</p>
          </Empty>
        ) : (
          <div className="accounts">
            {u.accounts.map((account) => (
              <div key={account.id} className="account-card" data-account={account.numericId}>
                <span className="account-label">Account #{account.numericId}</span>
                <span className="account-balance money">{money(account.balance)}</span>
              </div>
            ))}
            {u.accounts.length > 1 ? (
              <div className="account-card account-total">
                <span className="account-label">Total</span>
                <span className="account-balance money">{money(sumMoney(u.accounts.map((a) => a.balance)))}</span>
              </div>
            ) : null}
          </div>
        )}
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
              <div className="table-wrap" aria-busy={history.isFetching}>
                <table className="table table-history">
                  <caption className="visually-hidden">Transactions of {u.login}, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Date</th>
                      <th scope="col">Type</th>
                      <th scope="col">Details</th>
                      <th scope="col">Account</th>
                      <th scope="col" className="numeric">
                        Amount
                      </th>
                      <th scope="col" className="numeric">
                        Balance after
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((t) => (
                      <tr key={t.id}>
                        <td data-label="Date" className="nowrap">
                          <time dateTime={t.createdAt}>{dateTime(t.createdAt)}</time>
                        </td>
                        <td data-label="Type">
                          <span className={`badge ${t.kind === "credit" ? "badge-success" : "badge-neutral"}`}>
                            {t.kind === "credit" ? "Credit" : "Purchase"}
                          </span>
                        </td>
                        <td data-label="Details">
                          {t.kind === "credit" ? (
                            <span className="muted">Payment #{t.transactionId}</span>
                          ) : (
                            (t.productTitle ?? <span className="muted">Product</span>)
                          )}
                        </td>
                        <td data-label="Account" className="muted">
                          #{t.accountNumericId}
                        </td>
                        <td
                          data-label="Amount"
                          className={`numeric money ${t.kind === "credit" ? "amount-in" : "amount-out"}`}
                        >
                          {t.kind === "credit" ? "+" : "−"}
                          {money(t.amount)}
                        </td>
                        <td data-label="Balance after" className="numeric money">
                          {money(t.balanceAfter)}
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
                noun="transactions"
                onPage={(next) => update({ page: next === 1 ? undefined : String(next) })}
              />
            </>
          )}
        </QueryState>
      </section>
    </>
  );
}
