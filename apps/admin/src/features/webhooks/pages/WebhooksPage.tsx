// The webhook inbox: every call of the payment provider, filtered by verdict, provider transaction id
// and days (WEBHOOKS_LIST, in the URL); each row opens the call as received.
import { WEBHOOK_OUTCOMES } from "@shop/contracts";
import { FilterBar, type FilterField, dayRange } from "@/components/FilterBar.tsx";
import { PageHeader } from "@/components/Layout.tsx";
import { Pagination } from "@/components/Pagination.tsx";
import { Empty, QueryState } from "@/components/States.tsx";
import { Table } from "@/components/Table.tsx";
import { useListParams } from "@/hooks/use-list-params.ts";
import { dateTime } from "@/lib/format.ts";
import { Link } from "@/lib/router.tsx";
import { OUTCOME_LABEL, WEBHOOKS_LIST, useWebhooks } from "@/features/webhooks/api/get-webhooks.ts";
import { OutcomeBadge } from "@/features/webhooks/components/OutcomeBadge.tsx";

const FIELDS: readonly FilterField<keyof typeof WEBHOOKS_LIST.filters>[] = [
  {
    type: "select",
    name: "outcome",
    label: "Outcome",
    any: "All outcomes",
    options: WEBHOOK_OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABEL[o] })),
  },
  { type: "text", name: "tx", label: "Transaction id", size: 12, numeric: true },
  ...dayRange("from", "to"),
];

export function WebhooksPage() {
  const list = useListParams(WEBHOOKS_LIST);
  const query = useWebhooks(list);
  return (
    <>
      <PageHeader title="Webhook inbox" lead="Every call of the payment provider and what the shop answered." />
      <FilterBar list={list} fields={FIELDS} />
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
