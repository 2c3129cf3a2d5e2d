// The books: Σ wallets = provider credits − sales + refunds + adjustments in − adjustments out, both
// sides shown; green when they balance (and every wallet equals its ledger), the mismatches otherwise.
import { Link } from "@tanstack/react-router";
import { ErrorState, Loading } from "@/components/States.tsx";
import { money } from "@/lib/format.ts";
import { AsOf } from "@/features/dashboard/components/AsOf.tsx";
import type { useReconciliation } from "@/features/dashboard/api/get-stats.ts";

export function ReconciliationPanel({ query }: { query: ReturnType<typeof useReconciliation> }) {
  if (query.isPending) return <Loading label="Checking the books…" />;
  if (query.isError)
    return <ErrorState error={query.error} title="Could not check the books" onRetry={() => void query.refetch()} />;
  const r = query.data;
  return (
    <div className={`books ${r.balanced ? "books-ok" : "books-bad"}`} data-testid="books">
      <p className="books-verdict" role="status">
        <span aria-hidden="true">{r.balanced ? "✓ " : "! "}</span>
        {r.balanced ? "The books balance." : "The books do not balance."}{" "}
        <span className="muted small">
          (<AsOf asOf={r.asOf} answeredAt={query.dataUpdatedAt} />)
        </span>
      </p>
      <dl className="books-equation">
        <div>
          <dt>Money in wallets</dt>
          <dd className="money">{money(r.walletsTotal)}</dd>
        </div>
        <div className="books-equals" aria-hidden="true">
          =
        </div>
        <div>
          <dt>Provider credits</dt>
          <dd className="money">{money(r.providerCredits)}</dd>
        </div>
        <div>
          <dt>− Sales</dt>
          <dd className="money">{money(r.sales)}</dd>
        </div>
        <div>
          <dt>+ Refunds</dt>
          <dd className="money">{money(r.refunds)}</dd>
        </div>
        <div>
          <dt>+ Adjustments in</dt>
          <dd className="money">{money(r.adjustmentsIn)}</dd>
        </div>
        <div>
          <dt>− Adjustments out</dt>
          <dd className="money">{money(r.adjustmentsOut)}</dd>
        </div>
      </dl>
      <p className="muted small" data-testid="books-held">
        Of the money in wallets, <span className="money">{money(r.held)}</span> is held now by unexpired authorizations
        (not yet captured or voided): still in the balances above, not available to spend.
      </p>
      {r.mismatches.length > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <caption>Accounts whose balance differs from their ledger</caption>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col" className="numeric">
                  Stored balance
                </th>
                <th scope="col" className="numeric">
                  Ledger sum
                </th>
              </tr>
            </thead>
            <tbody>
              {r.mismatches.map((m) => (
                <tr key={m.accountId}>
                  <td>
                    <Link to="/transactions" search={{ account: m.accountId }}>
                      {m.accountId}
                    </Link>
                  </td>
                  <td className="numeric money">{money(m.storedBalance)}</td>
                  <td className="numeric money">{money(m.ledgerBalance)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
