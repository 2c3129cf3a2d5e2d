// The audit log: every administrative write, filtered by actor, action, target and days (in the URL:
// the /audit route's ZAuditSearchSchema); each entry links to its target and shows before / after as a diff.
import { AUDIT_ACTIONS, ZUuidSchema } from "@shop/contracts";
import { Link, getRouteApi } from "@tanstack/react-router";
import { PageHeader } from "@/components/Layout.tsx";
import { type Columns, columnsOf } from "@/components/list/DataTable.tsx";
import type { FilterField } from "@/components/list/FilterBar.tsx";
import { ListView } from "@/components/list/ListView.tsx";
import { Empty } from "@/components/States.tsx";
import { dateTime } from "@/lib/format.ts";
import { ZDaySchema, useList } from "@/lib/list.ts";
import { AUDIT_TARGETS, type AuditEntry, ZTargetIdSchema, useAudit } from "@/features/audit/api/get-audit.ts";
import { AuditDiff } from "@/features/audit/components/AuditDiff.tsx";

const route = getRouteApi("/_app/audit");

const asOption = (value: string) => ({ value, label: value });

const FILTERS: readonly FilterField[] = [
  { type: "select", name: "action", label: "Action", any: "All actions", options: AUDIT_ACTIONS.map(asOption) },
  { type: "select", name: "target", label: "Target", any: "All targets", options: AUDIT_TARGETS.map(asOption) },
  { type: "text", name: "id", label: "Target id", schema: ZTargetIdSchema },
  { type: "text", name: "actor", label: "Actor id", schema: ZUuidSchema },
  { type: "date", name: "from", label: "From", schema: ZDaySchema },
  { type: "date", name: "to", label: "To", schema: ZDaySchema },
];

function TargetLink({ entry }: { entry: AuditEntry }) {
  const text = `${entry.targetType} ${entry.targetId.slice(0, 8)}`;
  switch (entry.targetType) {
    case "product":
      return (
        <Link to="/products/$id/edit" params={{ id: entry.targetId }}>
          {text}
        </Link>
      );
    case "user":
      return (
        <Link to="/users/$id" params={{ id: entry.targetId }}>
          {text}
        </Link>
      );
    case "account":
      return (
        <Link to="/transactions" search={{ account: entry.targetId }}>
          {text}
        </Link>
      );
    case "transaction":
      return (
        <Link to="/transactions" search={{ id: entry.targetId }}>
          {text}
        </Link>
      );
    case "api_key":
      return <Link to="/api-keys">{text}</Link>;
    case "webhook_endpoint":
      return (
        <Link to="/integrations/endpoints/$id" params={{ id: entry.targetId }}>
          {text}
        </Link>
      );
    case "webhook_delivery":
      return <Link to="/integrations">{text}</Link>;
  }
}

const column = columnsOf<AuditEntry>();

const COLUMNS: Columns<AuditEntry> = [
  column.accessor("at", {
    header: "When",
    meta: { className: "nowrap" },
    cell: ({ getValue }) => <time dateTime={getValue()}>{dateTime(getValue())}</time>,
  }),
  column.accessor("actor", {
    header: "Actor",
    cell: ({ getValue }) => {
      const actor = getValue();
      return actor.id ? (
        <Link to="/audit" search={{ actor: actor.id }}>
          {actor.login ?? actor.id}
        </Link>
      ) : (
        <span className="muted">{actor.type}</span>
      );
    },
  }),
  column.accessor("action", { header: "Action", cell: ({ getValue }) => <code>{getValue()}</code> }),
  column.display({ id: "target", header: "Target", cell: ({ row }) => <TargetLink entry={row.original} /> }),
  column.display({
    id: "change",
    header: "Change",
    cell: ({ row: { original: e } }) => <AuditDiff before={e.before} after={e.after} />,
  }),
];

export function AuditPage() {
  const list = useList(route.useSearch());
  const query = useAudit(list);
  return (
    <>
      <PageHeader title="Audit log" lead="Every administrative change: who, what, when, before and after." />
      <ListView
        list={list}
        query={query}
        columns={COLUMNS}
        filters={FILTERS}
        noun="entries"
        caption="Audit log, newest first"
        className="table-audit"
        loadingLabel="Loading the audit log…"
        errorTitle="Could not load the audit log"
        rowProps={(e) => ({ "data-action": e.action })}
        empty={<Empty title="No entries match" />}
      />
    </>
  );
}
