// The event log (transactional outbox). A write appends its event with `append` on the SAME client as the
// write (the transaction's, or a CTE of the write's own statement: `appendEventSql`), so the event commits
// with it or not at all.
//
// Order: `pos` is taken at insert, which is not commit order (a transaction that inserted first may
// commit last). So readers never see `pos`: an event gets its `seq` after it committed, from the
// sequencer (`sequence`), ONE statement that locks the event_sequencer row and numbers every committed
// event without a seq, in `pos` order, from the row's last_seq + 1. Sequencer runs are serialised by that
// row lock and each commits before the next can read last_seq, so:
// - a seq is never given below one that is already visible: a reader paging with `after=<seq>` never
//   skips an event that commits later (it gets a higher seq);
// - an event committed before another one's transaction wrote it (so every two writes of one row: one
//   account, one product, one user) has the lower seq: when the second inserts, the first is committed,
//   so either it is already numbered or it is numbered with the same run, before it (lower pos).
// Two transactions that overlap in time have no commit order any reader could have observed; they are
// numbered in pos order within a run. Gaps in seq are possible (a run that raced another numbers fewer
// rows than it reserved); seq only increases.
//
// The same run fans each event out to the enabled webhook endpoints that subscribe to its type (one
// delivery per endpoint and event, UNIQUE), so deliveries are created in seq order, once.
import type { TEvent, TEventType } from "@shop/contracts";
import { type Db, statement } from "@shop/db";
import { iso } from "./shared.ts";

/** An event row `ev` as the API's event (TEvent). */
export const eventJson = (alias = "ev") =>
  `json_build_object('id', ${alias}.id, 'type', ${alias}.type, 'seq', ${alias}.seq,
                     'createdAt', ${iso(`${alias}.created_at`)}, 'data', ${alias}.data)`;

/**
 * A CTE body that appends one event per row of `from` inside another statement: `type` and `data` are SQL
 * expressions over `from`'s columns. E.g. `event AS (${appendEventSql("'purchase.completed'", "entry.tx", "entry")})`.
 */
export const appendEventSql = (type: string, data: string, from: string) =>
  `INSERT INTO events (type, data, created_at) SELECT ${type}, (${data})::jsonb, clock_timestamp() FROM ${from} RETURNING id`;

const appendStatement = statement<{ id: string }>(
  "events.append",
  `INSERT INTO events (type, data, created_at) VALUES ($1::text, $2::jsonb, clock_timestamp()) RETURNING id::text`,
);

const pendingStatement = statement<{ pending: boolean }>(
  "events.pending",
  `SELECT EXISTS (SELECT 1 FROM events WHERE seq IS NULL) AS pending`,
);

/**
 * The sequencer: $1 the most events to number in this run. Numbers committed events in pos order after
 * the sequencer row's last_seq (taken under its row lock) and fans them out to the subscribed endpoints.
 * The rows chosen come from the statement's snapshot, taken before the lock was granted: a row another
 * run numbered meanwhile fails `seq IS NULL` on its newest version and is skipped (a gap, never a repeat).
 */
const sequenceStatement = statement<{ sequenced: number; fanned: number }>(
  "events.sequence",
  `WITH lock AS (
     SELECT last_seq FROM event_sequencer WHERE id = 1 FOR UPDATE
   ), todo AS (
     SELECT e.id, (SELECT last_seq FROM lock) + row_number() OVER (ORDER BY e.pos) AS seq
       FROM events e
      WHERE e.seq IS NULL
      ORDER BY e.pos
      LIMIT $1::int4
   ), done AS (
     UPDATE events e SET seq = todo.seq FROM todo
      WHERE e.id = todo.id AND e.seq IS NULL
     RETURNING e.id, e.seq, e.type
   ), fan AS (
     INSERT INTO webhook_endpoint_deliveries (endpoint_id, event_id, message_id, event_type, next_attempt_at)
     SELECT ep.id, done.id, done.id, done.type, now()
       FROM done JOIN webhook_endpoints ep ON ep.enabled AND done.type = ANY (ep.event_types)
      ORDER BY done.seq
     ON CONFLICT DO NOTHING
     RETURNING 1
   ), bump AS (
     UPDATE event_sequencer s SET last_seq = GREATEST(s.last_seq, (SELECT max(seq) FROM done))
      WHERE s.id = 1 AND EXISTS (SELECT 1 FROM done)
   )
   SELECT (SELECT count(*) FROM done)::int4 AS sequenced, (SELECT count(*) FROM fan)::int4 AS fanned`,
);

const listStatement = statement<{ event: TEvent }>(
  "events.list",
  `SELECT ${eventJson()} AS event FROM events ev
    WHERE ev.seq > $1::int8 ORDER BY ev.seq LIMIT $2::int4`,
);

const listByTypeStatement = statement<{ event: TEvent }>(
  "events.list-by-type",
  `SELECT ${eventJson()} AS event FROM events ev
    WHERE ev.type = $3::text AND ev.seq > $1::int8 ORDER BY ev.seq LIMIT $2::int4`,
);

const byIdStatement = statement<{ event: TEvent }>(
  "events.by-id",
  `SELECT ${eventJson()} AS event FROM events ev WHERE ev.id = $1::uuid AND ev.seq IS NOT NULL`,
);

const backlogStatement = statement<{ unsequenced: number; oldest_undelivered_seconds: number | null }>(
  "events.backlog",
  `SELECT (SELECT count(*) FROM events WHERE seq IS NULL)::int4 AS unsequenced,
          (SELECT extract(epoch FROM now() - min(created_at))::float8
             FROM webhook_endpoint_deliveries WHERE status = 'pending') AS oldest_undelivered_seconds`,
);

const lastSeqStatement = statement<{ last_seq: string }>(
  "events.last-seq",
  `SELECT last_seq::text FROM event_sequencer WHERE id = 1`,
);

/** Events numbered per sequencer run at most (a backlog takes several runs). */
export const SEQUENCE_BATCH = 5_000;

/** The event log on any client: the pool's, or a transaction's (then the event commits with the write). */
export function eventsRepository({ sql }: Pick<Db, "sql">) {
  return {
    /** Appends one event; it gets its seq once committed (sequence()). */
    async append(type: TEventType, data: unknown): Promise<string> {
      const [row] = await sql.query(appendStatement, [type, JSON.stringify(data)]);
      return row!.id;
    },

    /** Numbers committed events and fans them out; repeats until nothing is left. Returns how many. */
    async sequence(): Promise<{ sequenced: number; fanned: number }> {
      const total = { sequenced: 0, fanned: 0 };
      for (;;) {
        const [pending] = await sql.query(pendingStatement, []);
        if (!pending?.pending) return total;
        const [row] = await sql.query(sequenceStatement, [SEQUENCE_BATCH]);
        total.sequenced += row!.sequenced;
        total.fanned += row!.fanned;
        // Nothing numbered although rows wait: they are not committed yet (or another run took them).
        if (row!.sequenced === 0) return total;
      }
    },

    /** Events after `after` (a seq), oldest first; only numbered (committed) ones. */
    async list(p: { after: number; type?: TEventType | undefined; limit: number }): Promise<TEvent[]> {
      const rows = p.type
        ? await sql.query(listByTypeStatement, [String(p.after), p.limit, p.type])
        : await sql.query(listStatement, [String(p.after), p.limit]);
      return rows.map((r) => r.event);
    },

    async byId(id: string): Promise<TEvent | null> {
      const [row] = await sql.query(byIdStatement, [id]);
      return row?.event ?? null;
    },

    /** For metrics: events not numbered yet, and the age of the oldest pending delivery. */
    async backlog() {
      const [row] = await sql.query(backlogStatement, []);
      return { unsequenced: row!.unsequenced, oldestUndeliveredSeconds: row!.oldest_undelivered_seconds };
    },

    async lastSeq(): Promise<number> {
      const [row] = await sql.query(lastSeqStatement, []);
      return Number(row!.last_seq);
    },
  };
}
