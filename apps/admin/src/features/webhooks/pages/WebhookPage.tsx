// One webhook call: the body exactly as received, the verdict, the HTTP status, and the ledger entry
// it made (a credit), found in the ledger by its day and kind.
import { PageHeader } from "../../../components/Layout.tsx";
import { ErrorState, Loading } from "../../../components/States.tsx";
import { listPath } from "../../../hooks/use-list-params.ts";
import { dateTime } from "../../../lib/format.ts";
import { Link } from "../../../lib/router.tsx";
import { useWebhook } from "../api/get-webhooks.ts";
import { OutcomeBadge } from "../components/OutcomeBadge.tsx";

export function WebhookPage({ id }: { id: string }) {
  const query = useWebhook(id);
  const back = (
    <Link to={listPath("/webhooks")} className="back-link">
      <span aria-hidden="true">← </span>Webhook inbox
    </Link>
  );
  if (query.isPending) return <Loading label="Loading the call…" />;
  if (query.isError) {
    return (
      <>
        {back}
        <PageHeader title="Webhook call" />
        <ErrorState error={query.error} title="Could not load this webhook call" />
      </>
    );
  }
  const d = query.data;
  const day = d.receivedAt.slice(0, 10);
  return (
    <>
      {back}
      <PageHeader title="Webhook call" lead={`Received ${dateTime(d.receivedAt)} from ${d.sourceIp}`} />
      <dl className="facts">
        <div>
          <dt>Verdict</dt>
          <dd>
            <OutcomeBadge outcome={d.outcome} />
          </dd>
        </div>
        <div>
          <dt>HTTP status</dt>
          <dd>{d.httpStatus}</dd>
        </div>
        <div>
          <dt>Provider transaction</dt>
          <dd>{d.transactionId ?? "—"}</dd>
        </div>
        <div>
          <dt>Provider user / bill</dt>
          <dd>
            {d.userId ?? "—"} / {d.billId ?? "—"}
          </dd>
        </div>
        <div>
          <dt>Ledger entry</dt>
          <dd>
            {d.ledgerEntryId ? (
              <Link to={`/transactions?kind=credit&from=${day}&to=${day}#tx-${d.ledgerEntryId}`}>
                Credit {d.ledgerEntryId}
              </Link>
            ) : (
              <span className="muted">None: nothing was credited</span>
            )}
          </dd>
        </div>
      </dl>
      <section aria-labelledby="body-heading" className="section">
        <h2 id="body-heading">Body as received{d.truncated ? " (cut at 4 KB)" : ""}</h2>
        <pre className="raw-body">{d.body}</pre>
      </section>
    </>
  );
}
