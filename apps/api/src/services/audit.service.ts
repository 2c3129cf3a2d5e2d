// The audit log: who changed what. Every administrative write calls `audit()` right after it succeeds
// (HTTP through the admin procedures, the CLI and start-up through ensureAdmin); `before` / `after`
// carry the changed fields only, never secrets or hashes.
import type { TAuditActor } from "@shop/contracts";
import type { Db } from "@shop/db";
import { type Deps, reader } from "../deps.ts";
import { type AuditRecord, auditRepository } from "../repositories/audit.repository.ts";

/** Who an administrative call acts as, and its request id (set by adminProcedure). */
export interface Audited {
  actor: TAuditActor;
  requestId: string | null;
}

export const CLI_ACTOR: TAuditActor = { type: "cli", id: null, login: null };
export const SYSTEM_ACTOR: TAuditActor = { type: "system", id: null, login: null };

/** Appends one entry for a write that has just succeeded. */
export function audit(
  db: Pick<Db, "sql">,
  audited: Audited,
  entry: Omit<AuditRecord, "actor" | "requestId" | "before" | "after"> & {
    before?: Record<string, unknown> | null;
    after?: Record<string, unknown> | null;
  },
) {
  return auditRepository(db).insert({
    before: null,
    after: null,
    ...entry,
    actor: audited.actor,
    requestId: audited.requestId,
  });
}

/** The fields of `after` that differ from `before`, each side keeping only those. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: T) {
  const keys = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return {
    before: Object.fromEntries(keys.map((k) => [k, before[k]])),
    after: Object.fromEntries(keys.map((k) => [k, after[k]])),
  };
}

export function listAudit(
  deps: Deps,
  input: Parameters<ReturnType<typeof auditRepository>["list"]>[0] & {
    limit: number;
    offset: number;
    cursor?: string | undefined;
  },
) {
  return auditRepository(reader(deps)).list(input, input);
}
