// The audit log: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE), one row per administrative
// write, read newest first. An entry is only ever written inside the transaction of the write it
// records (`appendAudit` takes a SqlTransaction), so the two commit together or not at all.
import type { TAuditAction, TAuditActor, TAuditEntry, TAuditTargetType } from "@shop/contracts";
import { type SqlTransaction, statement } from "@shop/db";
import { iso, pageStatements, perDb, queryPage } from "./shared.ts";

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

/** $1 actor id, $2 action, $3 target type, $4 target id, $5 from, $6 to (each NULL for any). */
const FILTER = `($1::uuid IS NULL OR l.actor_id = $1::uuid)
            AND ($2::text IS NULL OR l.action = $2::text)
            AND ($3::text IS NULL OR l.target_type = $3::text)
            AND ($4::text IS NULL OR l.target_id = $4::text)
            AND ($5::timestamptz IS NULL OR l.at >= $5::timestamptz)
            AND ($6::timestamptz IS NULL OR l.at <= $6::timestamptz)`;

/** The log, newest first: FILTER's $1–$6, then $7 limit, $8 offset (shared.ts). */
const listStatements = pageStatements<{ entry: TAuditEntry }>(
  "audit",
  { select: `${auditJson} AS entry`, from: "audit_log l", where: FILTER },
  "l.seq DESC",
);

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
    page: { limit: number; offset: number },
  ) {
    const { rows, ...rest } = await queryPage(
      sql,
      listStatements,
      [f.actorId ?? null, f.action ?? null, f.targetType ?? null, f.targetId ?? null, f.from ?? null, f.to ?? null],
      page,
    );
    return { items: rows.map((r) => r.entry), ...rest };
  },
}));
