// One webhook call: the body exactly as received, the verdict, the HTTP status, and a link to the exact
// ledger entry it made (the credit, by its id) — or, for a replay, the credit it repeated.
import { Link, getRouteApi } from "@tanstack/react-router";
import { PageHeader } from "@/components/Layout.tsx";
import { ErrorState, Loading } from "@/components/States.tsx";
import { lastSearch } from "@/lib/list.ts";
import { dateTime, money } from "@/lib/format.ts";
import {
  type WebhookDelivery,
  type WebhooksSearch,
  useLedgerEntryOf,
  useWebhook,
} from "@/features/webhooks/api/get-webhooks.ts";
import { OutcomeBadge } from "@/features/webhooks/components/OutcomeBadge.tsx";

/** The credit this call made, or the one it repeated, linked to the ledger showing that entry alone. */
function LedgerEntry({ delivery }: { delivery: WebhookDelivery }) {
  const entry = useLedgerEntryOf(delivery);
  const credit = entry.data?.items[0];
  const nothing = <span className="muted">None: nothing was credited</span>;
  if (!delivery.ledgerEntryId && !delivery.transactionId) return nothing;
  if (entry.isPending) return <span className="muted">Looking it up…</span>;
  if (entry.isError) return <span className="muted">Could not look it up</span>;
  if (!credit) return nothing;
  const link = (
    <Link to="/transactions" search={{ id: credit.id }} data-testid="ledger-entry">
      Credit of {money(credit.amount)} to {credit.userLogin}, account #{credit.accountNumericId}
    </Link>
  );
  if (delivery.ledgerEntryId === credit.id) return link;
  return (
    <>
      None: nothing was credited by this call. Transaction {delivery.transactionId} was credited before: {link}
    </>
  );
}

const route = getRouteApi("/_app/webhooks/$id");

export function WebhookPage() {
  const { id } = route.useParams();
  const query = useWebhook(id);
  const back = (
    <Link to="/webhooks" search={lastSearch<WebhooksSearch>("/webhooks")} className="back-link">
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
            <LedgerEntry delivery={d} />
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
