// Deliveries of events to webhook endpoints, and every attempt of each (the outbound side; the payment
// provider's calls TO us are webhook-deliveries.repository.ts).
//
// Claiming: `claim` takes due deliveries with FOR UPDATE SKIP LOCKED and, in the same statement, counts
// the attempt and moves `next_attempt_at` one lease ahead. So two dispatchers (processes, hosts) never
// take one attempt: the second skips the locked row, and once the first commits the row is no longer
// due. A dispatcher killed during an attempt leaves the row due again when the lease ends; the next
// claim is the next attempt number. Only the claim's holder records the attempt's outcome (`record`
// checks the attempt number), and UNIQUE (delivery_id, attempt) keeps one row per attempt.
import type { TWebhookEndpointDelivery } from "@shop/contracts";
import { type Db, statement } from "@shop/db";
import { eventJson } from "./events.repository.ts";
import { iso } from "./shared.ts";

const attemptsJson = `COALESCE((SELECT json_agg(json_build_object(
       'attempt', a.attempt, 'startedAt', ${iso("a.started_at")}, 'durationMs', a.duration_ms,
       'statusCode', a.status_code, 'responseBody', a.response_body, 'error', a.error, 'outcome', a.outcome)
       ORDER BY a.attempt)
     FROM webhook_endpoint_attempts a WHERE a.delivery_id = d.id), '[]')`;

const deliveryJson = `json_build_object(
     'id', d.id, 'endpointId', d.endpoint_id, 'eventId', d.event_id, 'messageId', d.message_id,
     'eventType', d.event_type, 'status', d.status, 'attempts', ${attemptsJson},
     'nextAttemptAt', CASE WHEN d.status = 'pending' THEN ${iso("d.next_attempt_at")} END,
     'createdAt', ${iso("d.created_at")}, 'deliveredAt', ${iso("d.delivered_at")})`;

type Row = { delivery: TWebhookEndpointDelivery; pos: string };

const listStatement = statement<Row>(
  "endpoint-deliveries.list",
  `SELECT ${deliveryJson} AS delivery, d.pos::text FROM webhook_endpoint_deliveries d
    WHERE d.endpoint_id = $1::uuid AND d.pos < $2::int8
    ORDER BY d.pos DESC LIMIT $3::int4`,
);

const listByStatusStatement = statement<Row>(
  "endpoint-deliveries.list-by-status",
  `SELECT ${deliveryJson} AS delivery, d.pos::text FROM webhook_endpoint_deliveries d
    WHERE d.endpoint_id = $1::uuid AND d.pos < $2::int8 AND d.status = $4::text
    ORDER BY d.pos DESC LIMIT $3::int4`,
);

const byIdStatement = statement<Row>(
  "endpoint-deliveries.by-id",
  `SELECT ${deliveryJson} AS delivery, d.pos::text FROM webhook_endpoint_deliveries d WHERE d.id = $1::uuid`,
);

/** A test message to one endpoint: $1 endpoint, $2 the message id, $3 its body (JSON). */
const pingStatement = statement<Row>(
  "endpoint-deliveries.ping",
  `INSERT INTO webhook_endpoint_deliveries AS d (endpoint_id, message_id, event_type, payload, next_attempt_at)
   SELECT ep.id, $2::uuid, 'ping', $3::jsonb, now() FROM webhook_endpoints ep WHERE ep.id = $1::uuid
   RETURNING ${deliveryJson} AS delivery, d.pos::text`,
);

/** Due again now, whatever it was (an operator's retry); wakes the dispatchers. */
const retryStatement = statement<Row>(
  "endpoint-deliveries.retry",
  `WITH due AS (
     UPDATE webhook_endpoint_deliveries d
        SET status = 'pending', next_attempt_at = now(), delivered_at = NULL
      WHERE d.id = $1::uuid
     RETURNING d.*
   ), wake AS (SELECT pg_notify('events_out', '') FROM due)
   SELECT ${deliveryJson} AS delivery, d.pos::text FROM due d, (SELECT count(*) FROM wake) w`,
);

export interface ClaimedDelivery {
  id: string;
  attempt: number;
  endpointId: string;
  url: string;
  messageId: string;
  /** The exact bytes to send (the event's JSON, or the ping's). */
  body: string;
}

/**
 * $1 how many, $2 the lease in seconds. Due deliveries of enabled endpoints, oldest due first (then in
 * seq order of their events); FOR UPDATE OF d only, so endpoints are never locked by a claim.
 */
const claimStatement = statement<{
  id: string;
  attempt: number;
  endpoint_id: string;
  url: string;
  message_id: string;
  body: string;
}>(
  "endpoint-deliveries.claim",
  `WITH due AS (
     SELECT d.id FROM webhook_endpoint_deliveries d
       JOIN webhook_endpoints ep ON ep.id = d.endpoint_id AND ep.enabled
      WHERE d.status = 'pending' AND d.next_attempt_at <= now()
      ORDER BY d.next_attempt_at, d.pos
      LIMIT $1::int4
      FOR UPDATE OF d SKIP LOCKED
   ), claimed AS (
     UPDATE webhook_endpoint_deliveries d
        SET attempts = d.attempts + 1, next_attempt_at = now() + $2::int4 * interval '1 second'
       FROM due WHERE d.id = due.id
     RETURNING d.id, d.attempts, d.endpoint_id, d.message_id, d.event_id, d.payload
   )
   SELECT c.id::text, c.attempts AS attempt, ep.id::text AS endpoint_id, ep.url, c.message_id::text,
          COALESCE(c.payload::text,
                   (SELECT (${eventJson("ev")})::jsonb::text FROM events ev WHERE ev.id = c.event_id)) AS body
     FROM claimed c JOIN webhook_endpoints ep ON ep.id = c.endpoint_id
    ORDER BY c.attempts, c.id`,
);

/**
 * The outcome of a claimed attempt: $1 delivery, $2 attempt number, $3 started at, $4 duration (ms),
 * $5 HTTP status or NULL, $6 the answer's first 1 KB, $7 error, $8 delivered?, $9 the next attempt's
 * time (NULL: none left, the delivery failed). Only the claim's holder matches (attempts = $2 and still
 * pending); the endpoint's failure clock starts at its first failure and stops at a success.
 */
const recordStatement = statement<{ endpoint_id: string; failing_since: string | null }>(
  "endpoint-deliveries.record",
  `WITH d AS (
     UPDATE webhook_endpoint_deliveries d
        SET status = CASE WHEN $8::bool THEN 'delivered' WHEN $9::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
            next_attempt_at = COALESCE($9::timestamptz, d.next_attempt_at),
            delivered_at = CASE WHEN $8::bool THEN now() END,
            last_status = $5::int4, last_error = $7::text
      WHERE d.id = $1::uuid AND d.attempts = $2::int4 AND d.status = 'pending'
     RETURNING d.id, d.endpoint_id
   ), attempt AS (
     INSERT INTO webhook_endpoint_attempts
       (delivery_id, attempt, started_at, duration_ms, status_code, response_body, error, outcome)
     SELECT d.id, $2::int4, $3::timestamptz, $4::int4, $5::int4, $6::text, $7::text,
            CASE WHEN $8::bool THEN 'delivered' ELSE 'failed' END
       FROM d
   )
   UPDATE webhook_endpoints ep
      SET failing_since = CASE WHEN $8::bool THEN NULL ELSE COALESCE(ep.failing_since, $3::timestamptz) END,
          last_success_at = CASE WHEN $8::bool THEN now() ELSE ep.last_success_at END
     FROM d WHERE ep.id = d.endpoint_id
   RETURNING ep.id::text AS endpoint_id, ${iso("ep.failing_since")} AS failing_since`,
);

/** When the next delivery is due (for the dispatcher's timer), or null. */
const nextDueStatement = statement<{ seconds: number | null }>(
  "endpoint-deliveries.next-due",
  `SELECT extract(epoch FROM min(d.next_attempt_at) - now())::float8 AS seconds
     FROM webhook_endpoint_deliveries d JOIN webhook_endpoints ep ON ep.id = d.endpoint_id AND ep.enabled
    WHERE d.status = 'pending'`,
);

/**
 * The pending deliveries (the backlog metric), by the (status, next_attempt_at) index: a count by status of
 * every delivery would read them all at each scrape, and delivered ones only ever accumulate.
 */
const pendingCountStatement = statement<{ n: number }>(
  "endpoint-deliveries.pending-count",
  `SELECT count(*)::int4 AS n FROM webhook_endpoint_deliveries WHERE status = 'pending'`,
);

export function webhookEndpointDeliveriesRepository({ sql }: Pick<Db, "sql">) {
  return {
    async list(p: { endpointId: string; status?: string | undefined; before?: string | undefined; limit: number }) {
      const before = p.before ?? "9223372036854775807";
      const rows = p.status
        ? await sql.query(listByStatusStatement, [p.endpointId, before, p.limit, p.status])
        : await sql.query(listStatement, [p.endpointId, before, p.limit]);
      return {
        items: rows.map((r) => r.delivery),
        nextCursor: rows.length === p.limit ? rows[rows.length - 1]!.pos : null,
      };
    },
    async byId(id: string) {
      const [row] = await sql.query(byIdStatement, [id]);
      return row?.delivery ?? null;
    },
    async ping(endpointId: string, messageId: string, body: unknown) {
      const [row] = await sql.query(pingStatement, [endpointId, messageId, JSON.stringify(body)]);
      return row?.delivery ?? null;
    },
    async retry(id: string) {
      const [row] = await sql.query(retryStatement, [id]);
      return row?.delivery ?? null;
    },
    async claim(limit: number, leaseSeconds: number): Promise<ClaimedDelivery[]> {
      const rows = await sql.query(claimStatement, [limit, leaseSeconds]);
      return rows.map((r) => ({
        id: r.id,
        attempt: r.attempt,
        endpointId: r.endpoint_id,
        url: r.url,
        messageId: r.message_id,
        body: r.body,
      }));
    },
    async record(p: {
      id: string;
      attempt: number;
      startedAt: Date;
      durationMs: number;
      statusCode: number | null;
      responseBody: string | null;
      error: string | null;
      delivered: boolean;
      nextAttemptAt: Date | null;
    }) {
      const [row] = await sql.query(recordStatement, [
        p.id,
        p.attempt,
        p.startedAt.toISOString(),
        p.durationMs,
        p.statusCode,
        p.responseBody,
        p.error,
        p.delivered,
        p.nextAttemptAt?.toISOString() ?? null,
      ]);
      return row ? { endpointId: row.endpoint_id, failingSince: row.failing_since } : null;
    },
    async nextDueSeconds(): Promise<number | null> {
      const [row] = await sql.query(nextDueStatement, []);
      return row?.seconds ?? null;
    },
    async pendingCount(): Promise<number> {
      const [row] = await sql.query(pendingCountStatement, []);
      return row!.n;
    },
  };
}
