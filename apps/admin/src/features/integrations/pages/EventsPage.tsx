// The event log: oldest first from a seq, filtered by type, each event's JSON on demand.
import { EVENT_TYPES } from "@shop/contracts";
import { PageHeader } from "../../../components/Layout.tsx";
import { Empty, ErrorState, Loading } from "../../../components/States.tsx";
import { Table } from "../../../components/Table.tsx";
import { dateTime } from "../../../lib/format.ts";
import { Link, navigate, useSearchParams } from "../../../lib/router.tsx";
import { type EventType, useEvents } from "../api/integrations.ts";

export function EventsPage() {
  const [search] = useSearchParams();
  const typeParam = search.get("type");
  const type = (EVENT_TYPES as readonly string[]).includes(typeParam ?? "") ? (typeParam as EventType) : undefined;
  const afterParam = search.get("after");
  const after = afterParam && /^[0-9]{1,18}$/.test(afterParam) ? afterParam : undefined;
  const query = useEvents({ type, after });
  const setFilter = (next: { type?: string; after?: string }) => {
    const params = new URLSearchParams();
    const t = next.type ?? type;
    const a = next.after ?? after;
    if (t) params.set("type", t);
    if (a) params.set("after", a);
    const qs = params.toString();
    navigate(`/integrations/events${qs ? `?${qs}` : ""}`);
  };
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <Link to="/integrations" className="back-link">
        <span aria-hidden="true">← </span>Integrations
      </Link>
      <PageHeader title="Event log" lead="Every money move and administrative write, in commit order (seq)." />
      <form
        className="filter-bar"
        aria-label="Filter events"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          setFilter({ type: String(data.get("type") ?? ""), after: String(data.get("after") ?? "") });
        }}
      >
        <label className="field">
          <span className="field-label">Type</span>
          <select name="type" defaultValue={type ?? ""}>
            <option value="">All types</option>
            {EVENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">After seq</span>
          <input name="after" inputMode="numeric" pattern="[0-9]*" defaultValue={after ?? ""} />
        </label>
        <button type="submit" className="button button-small button-primary">
          Apply
        </button>
      </form>
      {query.isPending ? (
        <Loading label="Loading events…" />
      ) : query.isError ? (
        <ErrorState error={query.error} title="Could not load the event log" />
      ) : items.length === 0 ? (
        <Empty title="No events" />
      ) : (
        <>
          <Table caption="Events" className="table-events" busy={query.isFetching}>
            <thead>
              <tr>
                <th scope="col">Seq</th>
                <th scope="col">Type</th>
                <th scope="col">At</th>
                <th scope="col">Event</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id} data-testid="event">
                  <td className="numeric">{e.seq}</td>
                  <td>{e.type}</td>
                  <td>{dateTime(e.createdAt)}</td>
                  <td>
                    <details>
                      <summary>
                        <code>{e.id}</code>
                      </summary>
                      <pre className="raw-body">{JSON.stringify(e, null, 2)}</pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
          {query.hasNextPage && (
            <button
              type="button"
              className="button"
              disabled={query.isFetchingNextPage}
              onClick={() => void query.fetchNextPage()}
            >
              Load more
            </button>
          )}
        </>
      )}
    </>
  );
}
