// Every listing and report statement uses an index at scale, checked with EXPLAIN (never with timings):
// the bench's dataset (bench/scale-data.ts) built small — 10,000 users, 20,000 accounts, 100,000 ledger
// rows — and ANALYZEd, then every filter, sort and page (first, next by cursor, last) of the admin's
// listings and the reports run through a client that EXPLAINs each statement before running it. A page
// must be a Limit over index scans (no Seq Scan of a big table); a report must not read the ledger whole.
// PostgreSQL only: PGlite's planner sees the same SQL, but the figures that matter are the server's.
import { type SqlClient, statement } from "@shop/db";
import { testDatabaseUrl } from "@shop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountId, productId, userId } from "../bench/database.ts";
import { pg } from "../bench/pg.ts";
import { adminNumber, buildScaleData, countsAt } from "../bench/scale-data.ts";
import { auditRepository } from "../src/repositories/audit.repository.ts";
import { reportsRepository } from "../src/repositories/reports.repository.ts";
import { rollupsRepository } from "../src/repositories/rollups.repository.ts";
import { type ExplainNode, explained } from "../src/repositories/shared.ts";
import { transactionsRepository } from "../src/repositories/transactions.repository.ts";
import { usersRepository } from "../src/repositories/users.repository.ts";
import { webhookDeliveriesRepository } from "../src/repositories/webhook-deliveries.repository.ts";
import { useHarness } from "./harness.ts";

const BIG = ["ledger_entries", "users", "accounts", "webhook_deliveries", "audit_log"];
const counts = { ...countsAt(0.01), audit: 20_000 };

interface Explained {
  name: string;
  values: readonly unknown[];
  plan: ExplainNode;
}

function nodes(n: ExplainNode): ExplainNode[] {
  return [n, ...(n.Plans ?? []).flatMap(nodes)];
}
const seqScans = (plan: ExplainNode) =>
  nodes(plan)
    .filter((n) => n["Node Type"] === "Seq Scan" && BIG.includes(n["Relation Name"] ?? ""))
    .map((n) => n["Relation Name"]);

describe.skipIf(!testDatabaseUrl)(
  `statement plans at scale${testDatabaseUrl ? "" : " (skipped: PostgreSQL only — set DATABASE_URL)"}`,
  () => {
    const h = useHarness({ poolSize: 4 });
    const seen: Explained[] = [];
    let sql: SqlClient;

    beforeAll(async () => {
      const c = new pg.Client({ connectionString: h.db.url! });
      await c.connect();
      try {
        // A bcrypt hash is not needed: nobody signs in here.
        await buildScaleData(c, counts, "x");
      } finally {
        await c.end();
      }
      // Every statement is EXPLAINed with its values (a custom plan, as a prepared statement's first runs
      // get), then run.
      sql = {
        async query(s, values) {
          if (!s.text.startsWith("EXPLAIN")) {
            const [row] = await h.db.sql.query(
              statement<{ "QUERY PLAN": Parameters<typeof explained>[0] }>(
                `${s.name}.plan`,
                `EXPLAIN (FORMAT JSON) ${s.text}`,
              ),
              values,
            );
            seen.push({ name: s.name, values, plan: explained(row!["QUERY PLAN"]).Plan });
          }
          return h.db.sql.query(s, values);
        },
        transaction: (fn) => h.db.sql.transaction(fn),
      };
    }, 300_000);

    afterAll(() => {
      // For whoever reads the log: every statement shape checked.
      console.log(`[scale-plans] ${new Set(seen.map((s) => s.name)).size} statements explained`);
    });

    /** A listing's first page, the next one by cursor and its last page; every page statement must use an index. */
    async function pages<T extends { nextCursor: string | null }>(
      what: string,
      list: (page: { limit: number; offset: number; cursor?: string }) => Promise<T>,
    ) {
      const from = seen.length;
      const first = await list({ limit: 20, offset: 0 });
      if (first.nextCursor) await list({ limit: 20, offset: 0, cursor: first.nextCursor });
      await list({ limit: 20, offset: 0, cursor: "last" });
      for (const s of seen.slice(from)) {
        if (s.name.endsWith(".count")) {
          // Counted exactly only when EXPLAIN priced it low (shared.ts totalOf): bounded by construction.
          expect(s.plan["Total Cost"], `${what}: ${s.name}`).toBeLessThanOrEqual(10_000);
          continue;
        }
        expect(s.plan["Node Type"], `${what}: ${s.name} is not a bounded page`).toBe("Limit");
        expect(seqScans(s.plan), `${what}: ${s.name} ${JSON.stringify(s.values)}`).toEqual([]);
      }
    }

    it("/transactions: every filter, first, next and last page", async () => {
      const repo = transactionsRepository({ sql });
      const day = 86_400_000;
      const iso = (ms: number) => new Date(ms).toISOString();
      const [entry] = await h.db.prisma.$queryRaw<
        { id: string }[]
      >`SELECT id::text FROM ledger_entries WHERE seq = 100`;
      const filters = [
        {},
        { kind: "credit" as const },
        { kind: "purchase" as const },
        { kind: "refund" as const },
        { userId: userId(123) },
        { accountId: accountId(123) },
        { productId: productId(17) },
        { from: iso(Date.now() - 30 * day) },
        { from: iso(Date.now() - 200 * day), to: iso(Date.now() - 199 * day) },
        { kind: "credit" as const, from: iso(Date.now() - 30 * day) },
        { productId: productId(17), from: iso(Date.now() - 30 * day) },
        { id: entry!.id },
        { transactionId: 4242 },
      ];
      for (const f of filters) await pages(`/transactions ${JSON.stringify(f)}`, (p) => repo.list(f, p));
    });

    it("/users: every sort both ways, with and without each filter", async () => {
      const repo = usersRepository({ sql });
      await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 100 });
      for (const sort of ["login", "joined", "balance"] as const) {
        for (const order of ["asc", "desc"] as const) {
          // Not `search`: a substring of the login (ILIKE '%…%') has no b-tree index; the planner walks the
          // sort's index or reads the users (docs/scale.md: a trigram index is the next step).
          for (const f of [{}, { status: "disabled" as const }, { status: "pending" as const }, { isActive: false }]) {
            await pages(`/users ${sort} ${order} ${JSON.stringify(f)}`, (p) => repo.list({ ...p, ...f, sort, order }));
          }
        }
      }
    });

    it("a user's history, /webhooks and /audit: every filter", async () => {
      const ledger = transactionsRepository({ sql });
      await pages("history", (p) => ledger.history({ userId: userId(123) }, p));
      await pages("history of an account", (p) =>
        ledger.history({ userId: userId(123), accountId: accountId(123) }, p),
      );
      const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
      const webhooks = webhookDeliveriesRepository({ sql });
      for (const f of [
        {},
        { outcome: "credited" },
        { outcome: "invalid_signature" },
        { userId: 123 },
        { transactionId: 4242 },
        { from },
      ]) {
        await pages(`/webhooks ${JSON.stringify(f)}`, (p) => webhooks.list(f, p));
      }
      const audit = auditRepository({ sql });
      for (const f of [
        {},
        { action: "user.disable" },
        { actorId: userId(adminNumber(counts)) },
        { targetType: "product" },
        { targetId: productId(17) },
        { from },
      ]) {
        await pages(`/audit ${JSON.stringify(f)}`, (p) => audit.list(f, p));
      }
    });

    it("the reports read the roll-ups, not the whole ledger", async () => {
      await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 100 });
      const reports = reportsRepository({ sql });
      const from = seen.length;
      const date = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
      await reports.stats(date(29), date(0));
      await reports.stats(date(365), date(0));
      const rec = await reports.reconciliation();
      expect(rec.balanced).toBe(true);
      for (const s of seen.slice(from)) {
        // users: the status counts read every user once (O(users), not O(history)).
        const scanned = seqScans(s.plan).filter((t) => t !== "users");
        expect(scanned, `${s.name} ${JSON.stringify(s.plan)}`).toEqual([]);
      }
    });
  },
);
