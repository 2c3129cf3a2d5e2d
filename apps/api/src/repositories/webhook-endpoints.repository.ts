// The shop's webhook endpoints (where events are POSTed) and their signing secrets. The secret is read
// only by the dispatcher (`signingSecrets`) and shown once, in the answer that made it.
import type { TEventType, TWebhookEndpoint } from "@shop/contracts";
import { type Db, statement } from "@shop/db";
import { iso } from "./shared.ts";

/** An endpoint row `ep` as the API's endpoint (TWebhookEndpoint): never the secrets. */
const endpointJson = `json_build_object(
     'id', ep.id, 'url', ep.url, 'description', ep.description, 'eventTypes', to_json(ep.event_types),
     'enabled', ep.enabled, 'disabledReason', ep.disabled_reason,
     'failingSince', ${iso("ep.failing_since")}, 'lastSuccessAt', ${iso("ep.last_success_at")},
     'previousSecretExpiresAt', CASE WHEN ep.previous_secret_expires_at > now()
                                     THEN ${iso("ep.previous_secret_expires_at")} END,
     'createdAt', ${iso("ep.created_at")}, 'updatedAt', ${iso("ep.updated_at")})`;

type Row = { endpoint: TWebhookEndpoint };

const insertStatement = statement<Row>(
  "webhook-endpoints.insert",
  `INSERT INTO webhook_endpoints AS ep (url, description, event_types, secret)
   VALUES ($1::text, $2::text, $3::text[], $4::text)
   RETURNING ${endpointJson} AS endpoint`,
);

const listStatement = statement<Row>(
  "webhook-endpoints.list",
  `SELECT ${endpointJson} AS endpoint FROM webhook_endpoints ep ORDER BY ep.created_at, ep.id`,
);

const byIdStatement = statement<Row>(
  "webhook-endpoints.by-id",
  `SELECT ${endpointJson} AS endpoint FROM webhook_endpoints ep WHERE ep.id = $1::uuid`,
);

/**
 * $1 id, then each field or NULL to keep it: $2 url, $3 description, $4 event types, $5 enabled.
 * Enabling again forgets why it was disabled and the failures before.
 */
const updateStatement = statement<Row>(
  "webhook-endpoints.update",
  `UPDATE webhook_endpoints ep
      SET url = COALESCE($2::text, ep.url),
          description = COALESCE($3::text, ep.description),
          event_types = COALESCE($4::text[], ep.event_types),
          enabled = COALESCE($5::bool, ep.enabled),
          disabled_reason = CASE WHEN $5::bool IS NULL THEN ep.disabled_reason END,
          failing_since = CASE WHEN $5::bool IS TRUE AND NOT ep.enabled THEN NULL ELSE ep.failing_since END,
          updated_at = now()
    WHERE ep.id = $1::uuid
   RETURNING ${endpointJson} AS endpoint`,
);

const deleteStatement = statement<Row>(
  "webhook-endpoints.delete",
  `DELETE FROM webhook_endpoints ep WHERE ep.id = $1::uuid RETURNING ${endpointJson} AS endpoint`,
);

/** $1 id, $2 the new secret, $3 seconds the current one keeps signing beside it. */
const rotateStatement = statement<Row>(
  "webhook-endpoints.rotate",
  `UPDATE webhook_endpoints ep
      SET previous_secret = ep.secret, secret = $2::text,
          previous_secret_expires_at = now() + $3::int4 * interval '1 second', updated_at = now()
    WHERE ep.id = $1::uuid
   RETURNING ${endpointJson} AS endpoint`,
);

/**
 * The dispatcher's verdict on an endpoint that has failed since `failing_since` without a success for
 * more than $2 hours: disabled, audited (system actor) and announced (event webhook_endpoint.disabled),
 * in this one statement. $1 id. No row back: not failing that long, or already disabled.
 */
const disableFailingStatement = statement<Row>(
  "webhook-endpoints.disable-failing",
  `WITH off AS (
     UPDATE webhook_endpoints ep
        SET enabled = false, updated_at = now(),
            disabled_reason = 'failing without a success since ' || ${iso("ep.failing_since")}
      WHERE ep.id = $1::uuid AND ep.enabled AND ep.failing_since < now() - $2::int4 * interval '1 hour'
     RETURNING ${endpointJson} AS endpoint, ep.id, ep.failing_since
   ), audit AS (
     INSERT INTO audit_log (actor_type, action, target_type, target_id, before, after, at)
     SELECT 'system', 'webhook_endpoint.auto_disable', 'webhook_endpoint', off.id::text,
            json_build_object('enabled', true)::jsonb,
            json_build_object('enabled', false, 'failingSince', ${iso("off.failing_since")})::jsonb,
            clock_timestamp()
       FROM off
   ), event AS (
     INSERT INTO events (type, data, created_at)
     SELECT 'webhook_endpoint.disabled', off.endpoint::jsonb, clock_timestamp() FROM off
   )
   SELECT endpoint FROM off`,
);

const secretsStatement = statement<{ secret: string; previous_secret: string | null }>(
  "webhook-endpoints.secrets",
  `SELECT secret, CASE WHEN previous_secret_expires_at > now() THEN previous_secret END AS previous_secret
     FROM webhook_endpoints WHERE id = $1::uuid`,
);

export function webhookEndpointsRepository({ sql }: Pick<Db, "sql">) {
  return {
    async insert(p: { url: string; description: string; eventTypes: TEventType[]; secret: string }) {
      const [row] = await sql.query(insertStatement, [p.url, p.description, pgArray(p.eventTypes), p.secret]);
      return row!.endpoint;
    },
    async list() {
      return (await sql.query(listStatement, [])).map((r) => r.endpoint);
    },
    async byId(id: string) {
      const [row] = await sql.query(byIdStatement, [id]);
      return row?.endpoint ?? null;
    },
    async update(
      id: string,
      p: {
        url?: string | undefined;
        description?: string | undefined;
        eventTypes?: TEventType[] | undefined;
        enabled?: boolean | undefined;
      },
    ) {
      const [row] = await sql.query(updateStatement, [
        id,
        p.url ?? null,
        p.description ?? null,
        p.eventTypes ? pgArray(p.eventTypes) : null,
        p.enabled ?? null,
      ]);
      return row?.endpoint ?? null;
    },
    async delete(id: string) {
      const [row] = await sql.query(deleteStatement, [id]);
      return row?.endpoint ?? null;
    },
    async rotate(id: string, secret: string, graceSeconds: number) {
      const [row] = await sql.query(rotateStatement, [id, secret, graceSeconds]);
      return row?.endpoint ?? null;
    },
    async disableFailing(id: string, hours: number) {
      const [row] = await sql.query(disableFailingStatement, [id, hours]);
      return row?.endpoint ?? null;
    },
    /** The secrets that sign now: the current one, and the previous one during its grace period. */
    async signingSecrets(id: string): Promise<string[]> {
      const [row] = await sql.query(secretsStatement, [id]);
      return row ? [row.secret, ...(row.previous_secret ? [row.previous_secret] : [])] : [];
    },
  };
}

/** A text[] literal: every element quoted (event types hold no quote or backslash; escaped anyway). */
function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}
