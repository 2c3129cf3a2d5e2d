// API keys: their rows, the per-call look-up by hash, and the writes with their audit entries. Each
// write is ONE statement that changes the key and appends its audit row (a CTE), so the two commit
// together or not at all.
import type { TApiKey, TApiKeyScope, TAuditActor } from "@shop/contracts";
import { statement } from "@shop/db";
import { iso, perDb } from "./shared.ts";

/** A key row `k` joined with its creator `u`, as the API's key (TApiKey). */
const apiKeyJson = `json_build_object(
     'id', k.id, 'name', k.name, 'prefix', k.prefix, 'scopes', to_json(k.scopes),
     'createdBy', json_build_object('id', u.id, 'login', u.login),
     'createdAt', ${iso("k.created_at")},
     'lastUsedAt', CASE WHEN k.last_used_at IS NOT NULL THEN ${iso("k.last_used_at")} END,
     'revokedAt', CASE WHEN k.revoked_at IS NOT NULL THEN ${iso("k.revoked_at")} END)`;

/** The audit row's columns after actor and request id: $1 actor type, $2 actor id, $3 actor login, $4 request id. */
const AUDIT_COLUMNS = `(actor_type, actor_id, actor_login, action, target_type, target_id, before, after, request_id, at)`;

/**
 * A new key and its audit entry: $1 actor type, $2 actor id, $3 actor login, $4 request id, $5 name,
 * $6 prefix, $7 hash, $8 scopes (a JSON array), $9 the creator's user id.
 */
const createStatement = statement<{ key: TApiKey }>(
  "api-keys.create",
  `WITH k AS (
     INSERT INTO api_keys (name, prefix, key_hash, scopes, created_by, created_at)
     SELECT $5::text, $6::text, $7::text, ARRAY(SELECT json_array_elements_text($8::json)), $9::uuid, clock_timestamp()
     RETURNING *
   ), logged AS (
     INSERT INTO audit_log ${AUDIT_COLUMNS}
     SELECT $1::text, $2::uuid, $3::text, 'api_key.create', 'api_key', k.id::text, NULL,
            json_build_object('name', k.name, 'prefix', k.prefix, 'scopes', to_json(k.scopes))::jsonb,
            $4::text, clock_timestamp()
       FROM k
   )
   SELECT ${apiKeyJson} AS key FROM k JOIN users u ON u.id = k.created_by`,
);

/**
 * Revokes a key and audits it: $1–$4 the actor and request id as above, $5 the key's id. A key already
 * revoked is answered as it is (nothing written). No row back: no such key.
 */
const revokeStatement = statement<{ key: TApiKey }>(
  "api-keys.revoke",
  `WITH revoked AS (
     UPDATE api_keys SET revoked_at = clock_timestamp()
      WHERE id = $5::uuid AND revoked_at IS NULL
     RETURNING *
   ), logged AS (
     INSERT INTO audit_log ${AUDIT_COLUMNS}
     SELECT $1::text, $2::uuid, $3::text, 'api_key.revoke', 'api_key', r.id::text,
            json_build_object('revokedAt', NULL)::jsonb,
            json_build_object('revokedAt', ${iso("r.revoked_at")})::jsonb, $4::text, clock_timestamp()
       FROM revoked r
   )
   SELECT ${apiKeyJson} AS key
     FROM (SELECT * FROM revoked UNION ALL
           SELECT * FROM api_keys WHERE id = $5::uuid AND NOT EXISTS (SELECT 1 FROM revoked)) k
     JOIN users u ON u.id = k.created_by`,
);

const listStatement = statement<{ key: TApiKey }>(
  "api-keys.list",
  `SELECT ${apiKeyJson} AS key FROM api_keys k JOIN users u ON u.id = k.created_by ORDER BY k.created_at DESC, k.id`,
);

export interface KeyPrincipalRow {
  id: string;
  name: string;
  scopes: TApiKeyScope[];
  revoked: boolean;
  /** The creator, as the sign-in check reads a user. */
  user_id: string;
  user_numeric_id: string;
  user_login: string;
  user_is_admin: boolean;
  user_is_active: boolean;
  user_token_version: number;
}

/**
 * The key a bearer stands for, with its creator, at every call: $1 the key's hash. Also notes when it
 * was last used, at most once a minute (a write per call would cost more than most calls).
 */
const byHashStatement = statement<KeyPrincipalRow>(
  "api-keys.by-hash",
  `WITH k AS (
     SELECT k.id, k.name, k.scopes, k.revoked_at IS NOT NULL AS revoked, k.last_used_at,
            u.id AS user_id, u.numeric_id AS user_numeric_id, u.login AS user_login, u.is_admin AS user_is_admin,
            u.is_active AS user_is_active, u.token_version AS user_token_version
       FROM api_keys k JOIN users u ON u.id = k.created_by
      WHERE k.key_hash = $1::text
   ), touched AS (
     UPDATE api_keys a SET last_used_at = clock_timestamp()
       FROM k
      WHERE a.id = k.id AND NOT k.revoked
        AND (k.last_used_at IS NULL OR k.last_used_at < clock_timestamp() - interval '1 minute')
   )
   SELECT id::text, name, to_json(scopes) AS scopes, revoked, user_id::text, user_numeric_id::text, user_login,
          user_is_admin, user_is_active, user_token_version
     FROM k`,
);

export interface KeyWriter {
  actor: TAuditActor;
  requestId: string | null;
}

const actorValues = (w: KeyWriter) => [w.actor.type, w.actor.id, w.actor.login, w.requestId];

export const apiKeysRepository = perDb(({ sql }) => ({
  async create(
    writer: KeyWriter,
    k: { name: string; prefix: string; hash: string; scopes: TApiKeyScope[]; createdBy: string },
  ): Promise<TApiKey> {
    const [row] = await sql.query(createStatement, [
      ...actorValues(writer),
      k.name,
      k.prefix,
      k.hash,
      JSON.stringify(k.scopes),
      k.createdBy,
    ]);
    return row!.key;
  },

  /** The key after revoking it (or as it was, if already revoked); null when there is no such key. */
  async revoke(writer: KeyWriter, id: string): Promise<TApiKey | null> {
    const [row] = await sql.query(revokeStatement, [...actorValues(writer), id]);
    return row?.key ?? null;
  },

  async list(): Promise<TApiKey[]> {
    return (await sql.query(listStatement, [])).map((r) => r.key);
  },

  async byHash(hash: string): Promise<KeyPrincipalRow | null> {
    const [row] = await sql.query(byHashStatement, [hash]);
    return row ?? null;
  },
}));
