// The administrators' side of the crash suite: workers that create, edit, delete and restore products
// and disable / enable users while the money load runs, and the check that the audit log explains the
// state the database is in after a kill -9 — every committed change has its audit entry and no entry
// describes a change that did not commit (issue 18: a write and its entry commit together).
import { randomInt } from "node:crypto";
import type { PrismaClient } from "@shop/db";
import { expect } from "vitest";
import { send } from "../support/http.ts";

export interface AdminLoadFigures {
  sent: number;
  answered2xx: number;
  unanswered: number;
  byAction: Record<string, number>;
}

/**
 * Runs `workers` administrators against `base` until `control.stopped`: product create / update /
 * delete / restore of the products they made, and disable / enable of `targets` (users the money load
 * does not use). A request the server never answers (killed) is simply an unknown outcome.
 */
export async function runAdminLoad(opts: {
  base: string;
  adminToken: string;
  targets: readonly string[];
  control: { stopped: boolean };
  figures: AdminLoadFigures;
  workers?: number;
}): Promise<void> {
  const products: string[] = [];
  const { figures } = opts;
  const call = async (action: string, method: string, path: string, json?: unknown) => {
    figures.sent += 1;
    try {
      const reply = await send(opts.base, method, path, { token: opts.adminToken, json, timeoutMs: 5000 });
      if (reply.status >= 200 && reply.status < 300) {
        figures.answered2xx += 1;
        figures.byAction[action] = (figures.byAction[action] ?? 0) + 1;
      } else if (reply.status >= 500) {
        figures.unanswered += 1;
      }
      return reply;
    } catch {
      figures.unanswered += 1; // killed mid-request, or refused while down
      return undefined;
    }
  };
  const worker = async (n: number) => {
    for (let i = 0; !opts.control.stopped; i++) {
      const choice = products.length === 0 ? 0 : randomInt(6);
      const product = products[randomInt(Math.max(1, products.length))];
      if (choice === 0) {
        const reply = await call("product.create", "POST", "/products", {
          title: `Admin load ${n}.${i}`,
          description: "made under crash load",
          price: `${1 + randomInt(50)}.${String(randomInt(100)).padStart(2, "0")}`,
        });
        if (reply?.status === 201) products.push(String(reply.body.id));
      } else if (choice === 1 || choice === 2) {
        await call("product.update", "PUT", `/products/${product}`, {
          title: `Admin load ${n}.${i} edited`,
          price: `${1 + randomInt(50)}.00`,
        });
      } else if (choice === 3) {
        await call("product.delete", "DELETE", `/products/${product}`);
      } else if (choice === 4) {
        await call("product.restore", "POST", `/products/${product}/restore`, {});
      } else {
        const target = opts.targets[randomInt(opts.targets.length)]!;
        await call("user.set-active", "PUT", `/users/${target}`, { isActive: randomInt(2) === 0 });
      }
      if (opts.control.stopped) break;
    }
  };
  await Promise.all(Array.from({ length: opts.workers ?? 2 }, (_, n) => worker(n)));
}

interface AuditRow {
  seq: bigint;
  action: string;
  targetId: string;
  after: Record<string, unknown> | null;
}

/**
 * The audit log explains the database: every refund and adjustment in the ledger has exactly one audit
 * entry naming it, and every entry names a ledger row; replaying each product's entries gives the
 * product as it is; the last enable / disable entry of each target user gives its isActive.
 */
export async function expectAuditExplainsState(prisma: PrismaClient, targets: readonly string[]) {
  const [operatorMoves, entries, products, users] = await Promise.all([
    prisma.ledgerEntry.findMany({
      where: { kind: { in: ["refund", "adjustment"] } },
      select: { id: true, kind: true },
    }),
    prisma.auditEntry.findMany({
      orderBy: { seq: "asc" },
      select: { seq: true, action: true, targetId: true, after: true },
    }) as Promise<AuditRow[]>,
    prisma.product.findMany(),
    prisma.user.findMany({ where: { id: { in: [...targets] } }, select: { id: true, isActive: true } }),
  ]);

  // Money moved by an operator ↔ its audit entry, one to one.
  const audited = new Map<string, number>();
  for (const e of entries) {
    const id =
      e.action === "transaction.refund"
        ? e.after?.refundId
        : e.action === "account.adjust"
          ? e.after?.adjustmentId
          : undefined;
    if (typeof id === "string") audited.set(id, (audited.get(id) ?? 0) + 1);
  }
  const moveIds = new Set(operatorMoves.map((m) => m.id));
  expect(
    operatorMoves.filter((m) => audited.get(m.id) !== 1).map((m) => `${m.kind} ${m.id}`),
    "operator moves without exactly one audit entry",
  ).toEqual([]);
  expect(
    [...audited.keys()].filter((id) => !moveIds.has(id)),
    "audit entries of moves that did not commit",
  ).toEqual([]);

  // Products: the entries, replayed, give each product as it is.
  const byTarget = new Map<string, AuditRow[]>();
  for (const e of entries) byTarget.set(e.targetId, [...(byTarget.get(e.targetId) ?? []), e]);
  const mismatches: string[] = [];
  for (const p of products) {
    let state: { title?: unknown; description?: unknown; price?: unknown; deleted: boolean } | undefined;
    for (const e of byTarget.get(p.id) ?? []) {
      if (e.action === "product.create") state = { ...(e.after ?? {}), deleted: false };
      else if (state && e.action === "product.update") state = { ...state, ...(e.after ?? {}) };
      else if (state && e.action === "product.delete") state = { ...state, deleted: true };
      else if (state && e.action === "product.restore") state = { ...state, deleted: false };
    }
    const actual = {
      title: p.title,
      description: p.description,
      price: p.price.toFixed(2),
      deleted: p.deletedAt !== null,
    };
    const expected = state && {
      title: state.title,
      description: state.description,
      price: state.price,
      deleted: state.deleted,
    };
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      mismatches.push(`product ${p.id}: is ${JSON.stringify(actual)}, its audit says ${JSON.stringify(expected)}`);
    }
  }
  // Users: the last enable / disable says what isActive is (no entry: still the initial true).
  for (const u of users) {
    const last = (byTarget.get(u.id) ?? [])
      .filter((e) => e.action === "user.enable" || e.action === "user.disable")
      .at(-1);
    const expected = last ? last.action === "user.enable" : true;
    if (u.isActive !== expected) mismatches.push(`user ${u.id}: isActive ${u.isActive}, its audit says ${expected}`);
  }
  expect(mismatches, "committed changes the audit log does not explain").toEqual([]);
  return { operatorMoves: operatorMoves.length, auditEntries: entries.length, products: products.length };
}
