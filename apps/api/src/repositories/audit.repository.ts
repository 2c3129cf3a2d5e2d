// The audit log: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE), one row per administrative
// write, read newest first. An entry is only ever written inside the transaction of the write it
// records (`appendAudit` takes a SqlTransaction), so the two commit together or not at all.
import type { TAuditAction, TAuditActor, TAuditEntry, TAuditTargetType } from "@shop/contracts";
import { type SqlTransaction, statement } from "@shop/db";
import { iso, type KeysetListing, keysetPage, type PageRequest, perDb, when } from "./shared.ts";

/** An audit row `l` as the API's audit entry (TAuditEntry). */
const auditJson = `json_build_object(
     'id', l.id, 'at', ${iso("l.at")},
     'actor', json_build_object('type', l.actor_type, 'id', l.actor_id, 'login', l.actor_login),
     'action', l.action, 'targetType', l.target_type, 'targetId', l.target_id,
     'before', l.before, 'after', l.after, 'requestId', l.request_id)`;

const insertStatement = statement<{ entry: TAuditEntry }>(
  "audit.insert",
  `INSERT INTO audit_log AS l
     (actor_type, actor_id, actor_login, action, target_type, target_id, before, after, request_id, at)
   VALUES ($1::text, $2::uuid, $3::text, $4::text, $5::text, $6::text, $7::jsonb, $8::jsonb, $9::text, clock_timestamp())
   RETURNING ${auditJson} AS entry`,
);

/** The log, newest first: by time (clock_timestamp() at the write), ties by seq; the (at, seq) index. */
const AUDIT: KeysetListing<"at"> = {
  name: "audit",
  select: `${auditJson} AS entry`,
  from: "audit_log l",
  rowId: "l.id",
  sorts: {
    at: [
      { expr: "l.at", cast: "timestamptz" },
      { expr: "l.seq", cast: "int8" },
    ],
  },
};

export interface AuditRecord {
  actor: TAuditActor;
  action: TAuditAction;
  targetType: TAuditTargetType;
  targetId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
}

/** Appends one entry, in the transaction of the write it records. */
export async function appendAudit(tx: SqlTransaction, r: AuditRecord): Promise<TAuditEntry> {
  const [row] = await tx.query(insertStatement, [
    r.actor.type,
    r.actor.id,
    r.actor.login,
    r.action,
    r.targetType,
    r.targetId,
    r.before === null ? null : JSON.stringify(r.before),
    r.after === null ? null : JSON.stringify(r.after),
    r.requestId,
  ]);
  return row!.entry;
}

export const auditRepository = perDb(({ sql }) => ({
  async list(
    f: {
      actorId?: string | undefined;
      action?: string | undefined;
      targetType?: string | undefined;
      targetId?: string | undefined;
      from?: string | undefined;
      to?: string | undefined;
    },
    page: PageRequest,
  ) {
    const { rows, ...rest } = await keysetPage<{ entry: TAuditEntry }, "at">(
      sql,
      AUDIT,
      [
        when("actor", f.actorId, (p) => `l.actor_id = ${p}::uuid`),
        when("action", f.action, (p) => `l.action = ${p}::text`),
        when("targetType", f.targetType, (p) => `l.target_type = ${p}::text`),
        when("target", f.targetId, (p) => `l.target_id = ${p}::text`),
        when("from", f.from, (p) => `l.at >= ${p}::timestamptz`),
        when("to", f.to, (p) => `l.at <= ${p}::timestamptz`),
      ],
      "at",
      "desc",
      page,
    );
    return { items: rows.map((r) => r.entry), ...rest };
  },
}));
