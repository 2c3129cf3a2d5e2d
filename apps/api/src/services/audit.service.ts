// The audit log: who changed what. Every administrative write calls `audit(tx, …)` inside its own
// transaction, after its statement succeeded (HTTP through the admin procedures, the CLI and start-up
// through ensureAdmin, refunds and adjustments through the money-move pipeline): the write and its entry
// commit together or not at all. `audit` takes the transaction's client (SqlTransaction), so calling it
// outside a transaction does not type-check. `before` / `after` carry the changed fields only, never
// secrets or hashes.
import type { TAuditActor } from "@shop/contracts";
import type { SqlTransaction } from "@shop/db";
import { type Deps, reader } from "../deps.ts";
import { type AuditRecord, appendAudit, auditRepository } from "../repositories/audit.repository.ts";

/** Who an administrative call acts as, and its request id (set by adminProcedure). */
export interface Audited {
  actor: TAuditActor;
  requestId: string | null;
}

export const CLI_ACTOR: TAuditActor = { type: "cli", id: null, login: null };
export const SYSTEM_ACTOR: TAuditActor = { type: "system", id: null, login: null };

/** Appends one entry for a write that has just succeeded, in that write's transaction. */
export function audit(
  tx: SqlTransaction,
  audited: Audited,
  entry: Omit<AuditRecord, "actor" | "requestId" | "before" | "after"> & {
    before?: Record<string, unknown> | null;
    after?: Record<string, unknown> | null;
  },
) {
  return appendAudit(tx, {
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
