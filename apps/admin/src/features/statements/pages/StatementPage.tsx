// An account's statement for a range of days (in the URL: ?from=YYYY-MM-DD&to=YYYY-MM-DD, both
// included, UTC; default the last 30 days): opening and closing balance, money in and out, every
// posted entry oldest first, and the same as CSV.
import "../statements.css";
import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { PageHeader } from "@/components/Layout.tsx";
import { ErrorState, Loading } from "@/components/States.tsx";
import { useToast } from "@/components/Toasts.tsx";
import { dateTime, money } from "@/lib/format.ts";
import { downloadStatementCsv, useStatement } from "../api/statement.ts";

const route = getRouteApi("/_app/accounts/$id/statement");
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

export function StatementPage() {
  const { id: accountId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const update = (changes: { from?: string; to?: string }) =>
    void navigate({ search: (prev) => ({ ...prev, ...changes }), replace: true });
  const toast = useToast();
  const fromDay = search.from ?? daysAgo(29);
  const toDay = search.to ?? today();
  const statement = useStatement(accountId, fromDay, toDay);
  const [exporting, setExporting] = useState(false);

  return (
    <>
      <PageHeader title="Statement" lead={<>Account {accountId} · posted entries, UTC days</>}>
        <button
          type="button"
          className="button"
          disabled={exporting}
          onClick={() => {
            setExporting(true);
            downloadStatementCsv(accountId, fromDay, toDay)
              .catch((error: Error) => toast.error(error.message))
              .finally(() => setExporting(false));
          }}
        >
          {exporting ? "Exporting…" : "Download CSV"}
        </button>
      </PageHeader>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Statement period">
        <label>
          From <input type="date" value={fromDay} max={toDay} onChange={(e) => update({ from: e.target.value })} />
        </label>{" "}
        <label>
          To <input type="date" value={toDay} min={fromDay} onChange={(e) => update({ to: e.target.value })} />
        </label>
      </form>
      {statement.isPending ? (
        <Loading label="Loading the statement…" />
      ) : statement.isError ? (
        <ErrorState
          error={statement.error}
          title="Could not load the statement"
          onRetry={() => void statement.refetch()}
        />
      ) : (
        <>
          <dl className="figures statement-figures">
            <div>
              <dt>Opening balance</dt>
              <dd data-testid="opening-balance">{money(statement.data.openingBalance)}</dd>
            </div>
            <div>
              <dt>Money in</dt>
              <dd>{money(statement.data.totalIn)}</dd>
            </div>
            <div>
              <dt>Money out</dt>
              <dd>{money(statement.data.totalOut)}</dd>
            </div>
            <div>
              <dt>Closing balance</dt>
              <dd data-testid="closing-balance">{money(statement.data.closingBalance)}</dd>
            </div>
          </dl>
          {statement.data.entries.length === 0 ? (
            <p className="muted">No posted entries in these days.</p>
          ) : (
            <div className="table-wrap">
              <table className="table table-statement">
                <caption className="visually-hidden">Entries of the statement, oldest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">What</th>
                    <th scope="col" className="numeric">
                      In
                    </th>
                    <th scope="col" className="numeric">
                      Out
                    </th>
                    <th scope="col" className="numeric">
                      Balance
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {statement.data.entries.map((e) => (
                    <tr key={e.id}>
                      <td data-label="When" className="nowrap">
                        <time dateTime={e.createdAt}>{dateTime(e.createdAt)}</time>
                      </td>
                      <td data-label="What">
                        {e.kind}
                        {e.productTitle ? ` · ${e.productTitle}` : ""}
                        {e.reason ? ` · ${e.reason}` : ""}
                      </td>
                      <td data-label="In" className="numeric">
                        {e.direction === "in" ? money(e.amount) : ""}
                      </td>
                      <td data-label="Out" className="numeric">
                        {e.direction === "out" ? money(e.amount) : ""}
                      </td>
                      <td data-label="Balance" className="numeric">
                        {money(e.balanceAfter)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </>
  );
}
