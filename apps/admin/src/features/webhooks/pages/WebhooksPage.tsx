// The webhook inbox: every call of the payment provider, filtered by verdict, provider transaction id
// and days (WEBHOOKS_LIST, in the URL); each row opens the call as received.
import { WEBHOOK_OUTCOMES } from "@shop/contracts";
import { type FormEvent, useState } from "react";
import { PageHeader } from "../../../components/Layout.tsx";
import { Pagination } from "../../../components/Pagination.tsx";
import { Empty, QueryState } from "../../../components/States.tsx";
import { Table } from "../../../components/Table.tsx";
import { useListParams } from "../../../hooks/use-list-params.ts";
import { dateTime } from "../../../lib/format.ts";
import { Link } from "../../../lib/router.tsx";
import { OUTCOME_LABEL, WEBHOOKS_LIST, type WebhooksListParams, useWebhooks } from "../api/get-webhooks.ts";
import { OutcomeBadge } from "../components/OutcomeBadge.tsx";

function Filters({ list }: { list: WebhooksListParams }) {
  const { filters } = list;
  const [draft, setDraft] = useState({ ...filters });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    list.setFilters(draft);
  };
  return (
    <form className="toolbar filters" onSubmit={apply} aria-label="Filters">
      <label className="inline-select">
        <span>Outcome</span>
        <select
          aria-label="Outcome"
          value={filters.outcome}
          onChange={(e) => list.setFilter("outcome", e.target.value)}
        >
          <option value="">All outcomes</option>
          {WEBHOOK_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {OUTCOME_LABEL[o]}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-select">
        <span>Transaction id</span>
        <input
          value={draft.tx}
          inputMode="numeric"
          size={12}
          placeholder="any"
          onChange={(e) => setDraft((d) => ({ ...d, tx: e.target.value }))}
        />
      </label>
      <label className="inline-select">
        <span>From</span>
        <input type="date" value={draft.from} onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))} />
      </label>
      <label className="inline-select">
        <span>To</span>
        <input type="date" value={draft.to} onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))} />
      </label>
      <button type="submit" className="button button-small button-primary">
        Apply filters
      </button>
      {Object.values(filters).some(Boolean) ? (
        <button type="button" className="button button-small button-quiet" onClick={list.clear}>
          Clear filters
        </button>
      ) : null}
    </form>
  );
}

export function WebhooksPage() {
  const list = useListParams(WEBHOOKS_LIST);
  const query = useWebhooks(list);
  return (
    <>
      <PageHeader title="Webhook inbox" lead="Every call of the payment provider and what the shop answered." />
      <Filters key={JSON.stringify(list.filters)} list={list} />
      <QueryState
        query={query}
        loadingLabel="Loading webhook calls…"
        errorTitle="Could not load webhook calls"
        empty={<Empty title="No webhook calls match" />}
      >
        {(data) => (
          <>
            <Table caption="Webhook calls, newest first" busy={query.isFetching} className="table-webhooks">
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">Outcome</th>
                  <th scope="col" className="numeric">
                    HTTP
                  </th>
                  <th scope="col">Transaction</th>
                  <th scope="col">User / bill</th>
                  <th scope="col">Source</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((d) => (
                  <tr key={d.id} data-outcome={d.outcome}>
                    <td data-label="Received" className="nowrap">
                      <Link to={`/webhooks/${d.id}`}>
                        <time dateTime={d.receivedAt}>{dateTime(d.receivedAt)}</time>
                      </Link>
                    </td>
                    <td data-label="Outcome">
                      <OutcomeBadge outcome={d.outcome} />
                    </td>
                    <td data-label="HTTP" className="numeric">
                      {d.httpStatus}
                    </td>
                    <td data-label="Transaction">{d.transactionId ?? <span className="muted">—</span>}</td>
                    <td data-label="User / bill" className="muted">
                      {d.userId ?? "—"} / {d.billId ?? "—"}
                    </td>
                    <td data-label="Source" className="muted">
                      {d.sourceIp}
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <Pagination
              page={list.page}
              pageSize={list.limit}
              total={data.total}
              noun="webhook calls"
              onPage={list.setPage}
            />
          </>
        )}
      </QueryState>
    </>
  );
}
