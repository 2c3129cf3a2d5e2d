// The audit log: every administrative write, filtered by actor, action, target and days (AUDIT_LIST,
// in the URL); each entry links to its target and shows before / after as a diff.
import { AUDIT_ACTIONS } from "@shop/contracts";
import { type FormEvent, useState } from "react";
import { PageHeader } from "../../../components/Layout.tsx";
import { Pagination } from "../../../components/Pagination.tsx";
import { Empty, QueryState } from "../../../components/States.tsx";
import { Table } from "../../../components/Table.tsx";
import { useListParams } from "../../../hooks/use-list-params.ts";
import { dateTime } from "../../../lib/format.ts";
import { Link } from "../../../lib/router.tsx";
import { AUDIT_LIST, AUDIT_TARGETS, type AuditEntry, type AuditListParams, useAudit } from "../api/get-audit.ts";
import { AuditDiff } from "../components/AuditDiff.tsx";

function targetPath(entry: AuditEntry): string {
  switch (entry.targetType) {
    case "product":
      return `/products/${entry.targetId}/edit`;
    case "user":
      return `/users/${entry.targetId}`;
    case "account":
      return `/transactions?account=${entry.targetId}`;
    case "transaction":
      return `/audit?target=transaction&id=${entry.targetId}`;
  }
}

function Filters({ list }: { list: AuditListParams }) {
  const { filters } = list;
  const [draft, setDraft] = useState({ ...filters });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    list.setFilters(draft);
  };
  return (
    <form className="toolbar filters" onSubmit={apply} aria-label="Filters">
      <label className="inline-select">
        <span>Action</span>
        <select aria-label="Action" value={filters.action} onChange={(e) => list.setFilter("action", e.target.value)}>
          <option value="">All actions</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-select">
        <span>Target</span>
        <select aria-label="Target" value={filters.target} onChange={(e) => list.setFilter("target", e.target.value)}>
          <option value="">All targets</option>
          {AUDIT_TARGETS.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-select">
        <span>Target id</span>
        <input
          value={draft.id}
          size={14}
          placeholder="any"
          onChange={(e) => setDraft((d) => ({ ...d, id: e.target.value }))}
        />
      </label>
      <label className="inline-select">
        <span>Actor id</span>
        <input
          value={draft.actor}
          size={14}
          placeholder="any"
          onChange={(e) => setDraft((d) => ({ ...d, actor: e.target.value }))}
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

export function AuditPage() {
  const list = useListParams(AUDIT_LIST);
  const query = useAudit(list);
  return (
    <>
      <PageHeader title="Audit log" lead="Every administrative change: who, what, when, before and after." />
      <Filters key={JSON.stringify(list.filters)} list={list} />
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
