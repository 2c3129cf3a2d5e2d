// The event log: oldest first from a seq, filtered by type, each event's JSON on demand.
import { EVENT_TYPES } from "@shop/contracts";
import { Link, getRouteApi, useNavigate } from "@tanstack/react-router";
import { z } from "zod";
import { PageHeader } from "../../../components/Layout.tsx";
import { Empty, ErrorState, Loading } from "../../../components/States.tsx";
import { Table } from "../components/Table.tsx";
import { dateTime } from "../../../lib/format.ts";
import { type EventType, useEvents } from "../api/integrations.ts";

/** The event log's URL parameters (?type=purchase.completed&after=1042); anything else is dropped. */
export const ZEventsSearchSchema = z.object({
  type: z.enum(EVENT_TYPES).optional().catch(undefined),
  after: z
    .string()
    .regex(/^[0-9]{1,18}$/)
    .optional()
    .catch(undefined),
});

const route = getRouteApi("/_app/integrations/events");

export function EventsPage() {
  const { type, after } = route.useSearch() as { type?: EventType; after?: string };
  const navigate = useNavigate();
  const query = useEvents({ type, after });
  const setFilter = (next: { type?: string; after?: string }) => {
    const t = next.type === undefined ? type : next.type || undefined;
    const a = next.after === undefined ? after : next.after || undefined;
    void navigate({ to: "/integrations/events", search: { type: t as EventType | undefined, after: a } });
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
