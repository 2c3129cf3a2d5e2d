// The audit log: every administrative write, filtered by actor, action, target and days (AUDIT_LIST,
// in the URL); each entry links to its target and shows before / after as a diff.
import { AUDIT_ACTIONS } from "@shop/contracts";
import { FilterBar, type FilterField, dayRange } from "../../../components/FilterBar.tsx";
import { PageHeader } from "../../../components/Layout.tsx";
import { Pagination } from "../../../components/Pagination.tsx";
import { Empty, QueryState } from "../../../components/States.tsx";
import { Table } from "../../../components/Table.tsx";
import { useListParams } from "../../../hooks/use-list-params.ts";
import { dateTime } from "../../../lib/format.ts";
import { Link } from "../../../lib/router.tsx";
import { AUDIT_LIST, AUDIT_TARGETS, type AuditEntry, useAudit } from "../api/get-audit.ts";
import { AuditDiff } from "../components/AuditDiff.tsx";

const asOption = (value: string) => ({ value, label: value });

function targetPath(entry: AuditEntry): string {
  switch (entry.targetType) {
    case "product":
      return `/products/${entry.targetId}/edit`;
    case "user":
      return `/users/${entry.targetId}`;
    case "account":
      return `/transactions?account=${entry.targetId}`;
    case "transaction":
      return `/transactions?id=${entry.targetId}`;
    case "webhook_endpoint":
      return `/integrations/endpoints/${entry.targetId}`;
    case "webhook_delivery":
      return "/integrations";
  }
}

const FIELDS: readonly FilterField<keyof typeof AUDIT_LIST.filters>[] = [
  { type: "select", name: "action", label: "Action", any: "All actions", options: AUDIT_ACTIONS.map(asOption) },
  { type: "select", name: "target", label: "Target", any: "All targets", options: AUDIT_TARGETS.map(asOption) },
  { type: "text", name: "id", label: "Target id" },
  { type: "text", name: "actor", label: "Actor id" },
  ...dayRange("from", "to"),
];

export function AuditPage() {
  const list = useListParams(AUDIT_LIST);
  const query = useAudit(list);
  return (
    <>
      <PageHeader title="Audit log" lead="Every administrative change: who, what, when, before and after." />
      <FilterBar list={list} fields={FIELDS} />
      <QueryState
        query={query}
        loadingLabel="Loading the audit log…"
        errorTitle="Could not load the audit log"
        empty={<Empty title="No entries match" />}
      >
        {(data) => (
          <>
            <Table caption="Audit log, newest first" busy={query.isFetching} className="table-audit">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((e) => (
                  <tr key={e.id} data-action={e.action}>
                    <td data-label="When" className="nowrap">
                      <time dateTime={e.at}>{dateTime(e.at)}</time>
                    </td>
                    <td data-label="Actor">
                      {e.actor.id ? (
                        <Link to={`/audit?actor=${e.actor.id}`}>{e.actor.login ?? e.actor.id}</Link>
                      ) : (
                        <span className="muted">{e.actor.type}</span>
                      )}
                    </td>
                    <td data-label="Action">
                      <code>{e.action}</code>
                    </td>
                    <td data-label="Target">
                      <Link to={targetPath(e)}>
                        {e.targetType} {e.targetId.slice(0, 8)}
                      </Link>
                    </td>
                    <td data-label="Change">
                      <AuditDiff before={e.before} after={e.after} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <Pagination
              page={list.page}
              pageSize={list.limit}
              total={data.total}
              noun="entries"
              onPage={list.setPage}
            />
          </>
        )}
      </QueryState>
    </>
  );
}
