// The webhook inbox: every call of the payment provider, filtered by verdict, provider transaction id
// and days (in the URL: the /webhooks route's ZWebhooksSearchSchema); each row opens the call as received.
import { WEBHOOK_OUTCOMES } from "@shop/contracts";
import { Link, getRouteApi } from "@tanstack/react-router";
import { PageHeader } from "@/components/Layout.tsx";
import { type Columns, columnsOf } from "@/components/list/DataTable.tsx";
import type { FilterField } from "@/components/list/FilterBar.tsx";
import { ListView } from "@/components/list/ListView.tsx";
import { Empty } from "@/components/States.tsx";
import { dateTime } from "@/lib/format.ts";
import { ZDaySchema, ZProviderNumberSchema, useList } from "@/lib/list.ts";
import { OUTCOME_LABEL, type WebhookDelivery, useWebhooks } from "@/features/webhooks/api/get-webhooks.ts";
import { OutcomeBadge } from "@/features/webhooks/components/OutcomeBadge.tsx";

const route = getRouteApi("/_app/webhooks");

const FILTERS: readonly FilterField[] = [
  {
    type: "select",
    name: "outcome",
    label: "Outcome",
    any: "All outcomes",
    options: WEBHOOK_OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABEL[o] })),
  },
  { type: "text", name: "tx", label: "Transaction id", size: 12, numeric: true, schema: ZProviderNumberSchema },
  { type: "date", name: "from", label: "From", schema: ZDaySchema },
  { type: "date", name: "to", label: "To", schema: ZDaySchema },
];

const column = columnsOf<WebhookDelivery>();
const none = <span className="muted">—</span>;

const COLUMNS: Columns<WebhookDelivery> = [
  column.accessor("receivedAt", {
    header: "Received",
    meta: { className: "nowrap" },
    cell: ({ row: { original: d } }) => (
      <Link to="/webhooks/$id" params={{ id: d.id }}>
        <time dateTime={d.receivedAt}>{dateTime(d.receivedAt)}</time>
      </Link>
    ),
  }),
  column.accessor("outcome", { header: "Outcome", cell: ({ getValue }) => <OutcomeBadge outcome={getValue()} /> }),
  column.accessor("httpStatus", { header: "HTTP", meta: { className: "numeric" } }),
  column.accessor("transactionId", { header: "Transaction", cell: ({ getValue }) => getValue() ?? none }),
  column.display({
    id: "userBill",
    header: "User / bill",
    meta: { className: "muted" },
    cell: ({ row: { original: d } }) => `${d.userId ?? "—"} / ${d.billId ?? "—"}`,
  }),
  column.accessor("sourceIp", { header: "Source", meta: { className: "muted" } }),
];

export function WebhooksPage() {
  const list = useList(route.useSearch());
  const query = useWebhooks(list);
  return (
    <>
      <PageHeader title="Webhook inbox" lead="Every call of the payment provider and what the shop answered." />
      <ListView
        list={list}
        query={query}
        columns={COLUMNS}
        filters={FILTERS}
        noun="webhook calls"
        caption="Webhook calls, newest first"
        className="table-webhooks"
        loadingLabel="Loading webhook calls…"
        errorTitle="Could not load webhook calls"
        rowProps={(d) => ({ "data-outcome": d.outcome })}
        empty={<Empty title="No webhook calls match" />}
      />
    </>
  );
}
