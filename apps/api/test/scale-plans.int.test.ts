// Every listing and report statement uses an index at scale, checked with EXPLAIN (never with timings):
// the bench's dataset (bench/scale-data.ts) built small — 10,000 users, 20,000 accounts, 100,000 ledger
// rows — and ANALYZEd, then every filter, sort and page (first, next by cursor, last) of the admin's
// listings and the reports run through a client that EXPLAINs each statement before running it. A page
// must be a Limit over index scans (no Seq Scan of a big table); a report must not read the ledger whole.
// The event outbox (100,000 events and webhook deliveries, a few of them pending) and the holds (100,000
// authorizations, 1 % of them still authorized) are seeded beside it, so that the dispatcher's claim, the
// sequencer and every read of the live held must use their indexes too; and the users' substring search
// must use the trigram index for a rare substring whatever the sort.
// PostgreSQL only: PGlite's planner sees the same SQL, but the figures that matter are the server's.
import { type SqlClient, statement } from "@shop/db";
import { testDatabaseUrl } from "@shop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountId, productId, sqlAccountId, sqlProductId, userId } from "../bench/database.ts";
import { pg } from "../bench/pg.ts";
import { adminNumber, buildScaleData, countsAt } from "../bench/scale-data.ts";
import { auditRepository } from "../src/repositories/audit.repository.ts";
import { eventRelaysRepository } from "../src/repositories/event-relays.repository.ts";
import { eventsRepository } from "../src/repositories/events.repository.ts";
import { authorizationsRepository, ledger } from "../src/repositories/ledger.repository.ts";
import { reportsRepository } from "../src/repositories/reports.repository.ts";
import { rollupsRepository } from "../src/repositories/rollups.repository.ts";
import { type ExplainNode, explained } from "../src/repositories/shared.ts";
import { transactionsRepository } from "../src/repositories/transactions.repository.ts";
import { usersRepository } from "../src/repositories/users.repository.ts";
import { webhookDeliveriesRepository } from "../src/repositories/webhook-deliveries.repository.ts";
import { webhookEndpointDeliveriesRepository } from "../src/repositories/webhook-endpoint-deliveries.repository.ts";
import { useHarness } from "./harness.ts";

const BIG = [
  "ledger_entries",
  "users",
  "accounts",
  "webhook_deliveries",
  "audit_log",
  "events",
  "webhook_endpoint_deliveries",
  "authorizations",
];
const counts = { ...countsAt(0.01), audit: 20_000 };
/** Events and webhook deliveries (one per event), and authorizations, seeded beside the year's data. */
const OUTBOX = { events: 100_000, unsequenced: 20, pendingDue: 100, pendingLater: 100, failed: 100 };
// Live holds are few (0.5 %); expired ones nobody released (accounts that did not move since) 4 times as many.
const HOLDS = { authorizations: 100_000, liveEvery: 200, expiredUnreleasedEvery: 50 };

/**
 * The outbox and the holds in bulk SQL, consistent with the invariants the moves keep: every event but
 * the last `unsequenced` numbered in pos order (the sequencer's last_seq at the last one), one delivery per
 * numbered event (delivered, except a few pending — due now or later — and failed), three enabled
 * endpoints and a disabled one; authorizations spread over the accounts, mostly ended (captured, voided,
 * expired), some still authorized (live, or past expires_at and not yet released), and each account's
 * stored `held` the sum of its authorized ones (the upper bound the moves keep).
 */
async function seedOutboxAndHolds(c: InstanceType<typeof pg.Client>) {
  const endpoint = (i: string) => `('00000000-0000-4000-c000-' || lpad(${i}::text, 12, '0'))::uuid`;
  const eventId = (i: string) => `('00000000-0000-4000-d000-' || lpad(${i}::text, 12, '0'))::uuid`;
  const numbered = OUTBOX.events - OUTBOX.unsequenced;
  await c.query(
    `INSERT INTO webhook_endpoints (id, url, event_types, enabled, secret)
     SELECT ${endpoint("i")}, 'https://example.com/hook/' || i, ARRAY['purchase.completed', 'credit.received'],
            i <= 3, 'whsec_c2NhbGU='
       FROM generate_series(1, 4) AS i`,
  );
  await c.query(
    `INSERT INTO events (id, pos, seq, type, data, created_at)
     SELECT ${eventId("i")}, i, CASE WHEN i <= $2 THEN i END,
            CASE WHEN i % 2 = 0 THEN 'purchase.completed' ELSE 'credit.received' END,
            jsonb_build_object('n', i), now() - (($1 - i) * interval '1 minute')
       FROM generate_series(1, $1::int) AS i`,
    [OUTBOX.events, numbered],
  );
  await c.query(`SELECT setval(pg_get_serial_sequence('events', 'pos'), $1)`, [OUTBOX.events]);
  await c.query(`UPDATE event_sequencer SET last_seq = $1 WHERE id = 1`, [numbered]);
  // The last numbered events are the ones still pending (due now, then later), then the failed ones.
  await c.query(
    `INSERT INTO webhook_endpoint_deliveries (endpoint_id, event_id, message_id, event_type, status, attempts,
                                             next_attempt_at, created_at, delivered_at)
     SELECT ${endpoint("(1 + i % 3)")}, ${eventId("i")}, ${eventId("i")},
            CASE WHEN i % 2 = 0 THEN 'purchase.completed' ELSE 'credit.received' END,
            CASE WHEN i > $1 - $2 THEN 'failed' WHEN i > $1 - $2 - $3 - $4 THEN 'pending' ELSE 'delivered' END,
            1,
            CASE WHEN i > $1 - $2 - $3 THEN now() + interval '1 hour' ELSE now() - (($1 - i) * interval '1 minute') END,
            now() - (($1 - i) * interval '1 minute'),
            CASE WHEN i <= $1 - $2 - $3 - $4 THEN now() - (($1 - i) * interval '1 minute') END
       FROM generate_series(1, $1::int) AS i
      ORDER BY i`,
    [numbered, OUTBOX.failed, OUTBOX.pendingLater, OUTBOX.pendingDue],
  );
  // Authorization i: account 1 + i % accounts, product 1 + i % products, 1.00 each.
  const live = `i % ${HOLDS.liveEvery} = 0`;
  const expiredUnreleased = `i % ${HOLDS.expiredUnreleasedEvery} = 1`;
  await c.query(
    `INSERT INTO authorizations (account_id, product_id, product_title, product_price, amount, status,
                                 captured_amount, created_at, expires_at, ended_at)
     SELECT ${sqlAccountId(`(1 + i % ${counts.accounts})`)}, ${sqlProductId(`(1 + i % ${counts.products})`)},
            'Product', 1.00, 1.00, s.status, CASE WHEN s.status = 'captured' THEN 1.00 END, t.created,
            t.created + interval '7 days', CASE WHEN s.status <> 'authorized' THEN t.created + interval '1 day' END
       FROM generate_series(1, $1::int) AS i,
            LATERAL (SELECT CASE WHEN ${live} THEN now() - interval '1 hour'
                                 ELSE now() - interval '300 days' + i * (interval '290 days' / $1) END AS created) t,
            LATERAL (SELECT CASE WHEN ${live} OR ${expiredUnreleased} THEN 'authorized'
                                 WHEN i % 3 = 0 THEN 'captured' WHEN i % 3 = 1 THEN 'voided'
                                 ELSE 'expired' END AS status) s`,
    [HOLDS.authorizations],
  );
  await c.query(
    `UPDATE accounts a SET held = h.held
       FROM (SELECT account_id, sum(amount) AS held FROM authorizations WHERE status = 'authorized'
              GROUP BY account_id) h
      WHERE a.id = h.account_id`,
  );
  await c.query("ANALYZE webhook_endpoints, events, webhook_endpoint_deliveries, authorizations, accounts");
}

interface Explained {
  name: string;
  values: readonly unknown[];
  plan: ExplainNode;
}

function nodes(n: ExplainNode): ExplainNode[] {
  return [n, ...(n.Plans ?? []).flatMap(nodes)];
}
const indexesUsed = (plan: ExplainNode) => nodes(plan).flatMap((n) => (n["Index Name"] ? [n["Index Name"]] : []));
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
        await seedOutboxAndHolds(c);
      } finally {
        await c.end();
      }
      // Every statement is EXPLAINed with its values (a custom plan, as a prepared statement's first runs
      // get), then run.
      // Inside a transaction too (the roll-up job's folds run in one each); SET and VACUUM have no plan.
      const explaining = <C extends SqlClient>(client: C): SqlClient => ({
        async query(s, values) {
          if (!/^(EXPLAIN|SET|VACUUM)\b/.test(s.text)) {
            const [row] = await client.query(
              statement<{ "QUERY PLAN": Parameters<typeof explained>[0] }>(
                `${s.name}.plan`,
                `EXPLAIN (FORMAT JSON) ${s.text}`,
              ),
              values,
            );
            seen.push({ name: s.name, values, plan: explained(row!["QUERY PLAN"]).Plan });
          }
          return client.query(s, values);
        },
        transaction: (fn) => client.transaction((tx) => fn({ ...explaining(tx), inTransaction: true })),
      });
      sql = explaining(h.db.sql);
    }, 300_000);

    afterAll(() => {
      // For whoever reads the log: every statement shape checked.
      console.log(`[scale-plans] ${new Set(seen.map((s) => s.name)).size} statements explained`);
    });

    /** A listing's first page, the next one by cursor and its last page; every page statement must use an index. */
    async function pages<T extends { nextCursor: string | null }>(
      what: string,
      list: (page: { limit: number; offset: number; cursor?: string }) => Promise<T>,
    ): Promise<Explained[]> {
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
      return seen.slice(from).filter((s) => !s.name.endsWith(".count"));
    }

    /** The statements `run` sends, each checked: no Seq Scan of a big table (but those `allowed`). */
    async function explainedBy(run: () => Promise<unknown>, allowed: string[] = []): Promise<Explained[]> {
      const from = seen.length;
      await run();
      const ran = seen.slice(from);
      for (const s of ran) {
        const scanned = seqScans(s.plan).filter((t) => !allowed.includes(t!));
        expect(scanned, `${s.name} ${JSON.stringify(s.plan)}`).toEqual([]);
      }
      return ran;
    }

    /** The plan of the one statement named `name` among `ran`. */
    function planOf(ran: Explained[], name: string): ExplainNode {
      const found = ran.filter((s) => s.name === name);
      expect(found.length, `${name} among ${ran.map((s) => s.name).join(", ")}`).toBeGreaterThan(0);
      return found[0]!.plan;
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
      // A kind's pages read the (kind, time, seq) index, never the time index filtering out the other
      // kinds (this data's first purchase comes 73 days after the first credit).
      const kindPages = seen.filter(
        (s) => s.name.startsWith("ledger.") && s.name.includes("kind") && !s.name.endsWith(".plan"),
      );
      expect(kindPages.length).toBeGreaterThan(0);
      for (const s of kindPages) {
        expect(indexesUsed(s.plan), s.name).toContain("ledger_entries_kind_created_at_seq_idx");
        expect(indexesUsed(s.plan), s.name).not.toContain("ledger_entries_created_at_seq_idx");
      }
    });

    it("/users: every sort both ways, with and without each filter", async () => {
      const repo = usersRepository({ sql });
      await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 100 });
      for (const sort of ["login", "joined", "balance"] as const) {
        for (const order of ["asc", "desc"] as const) {
          // `search` is checked in its own test below.
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

    it("the reports and the roll-up job's steady state read the roll-ups, not the whole ledger", async () => {
      await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 100 });
      const reports = reportsRepository({ sql });
      const from = seen.length;
      // The job once caught up, with a second of writes to fold: its statements, explained (the closed
      // days' fold, the watermark's range and fold), planned for that small range.
      await h.db.prisma.$executeRawUnsafe(
        `WITH moved AS (UPDATE accounts SET balance = balance + 1 WHERE id = $1::uuid RETURNING id, balance)
         INSERT INTO ledger_entries (kind, direction, counterparty, account_id, amount, balance_after, transaction_id,
                                     payload_hash, created_at)
         SELECT 'credit', 'in', 'provider', id, 1, balance, 987654321, 'plans', clock_timestamp() FROM moved`,
        accountId(123),
      );
      await rollupsRepository({ sql }).run({ marginSeconds: 0, steps: 1 });
      const date = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
      await reports.stats(date(29), date(0));
      const year = await reports.stats(date(365), date(0));
      // The users' counter is right after a bulk load too (the data builder sets it: its triggers are off).
      const [{ n }] = await h.db.prisma.$queryRaw<[{ n: bigint }]>`SELECT count(*) AS n FROM users`;
      const { pending, active, disabled } = year.totals.users;
      expect(pending + active + disabled).toBe(Number(n));
      const rec = await reports.reconciliation();
      expect(rec.balanced, JSON.stringify(rec)).toBe(true);
      expect(seen.slice(from).map((s) => s.name)).toEqual(
        expect.arrayContaining(["rollups.days", "rollups.accounts", "reports.stats-closed", "reports.stats-live"]),
      );
      for (const s of seen.slice(from)) {
        // The first fold (watermark 0, a new installation or a migration) is one pass over the ledger by
        // design; it runs once, and its statement is sent (and planned) at every run of the job.
        if (s.name === "rollups.accounts-all") continue;
        expect(seqScans(s.plan), `${s.name} ${JSON.stringify(s.plan)}`).toEqual([]);
      }
    });

    it("/users?search: a rare substring by the trigram index in every sort; a common one by the sort's index", async () => {
      const repo = usersRepository({ sql });
      await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 100 });
      for (const sort of ["login", "joined", "balance"] as const) {
        for (const order of ["asc", "desc"] as const) {
          const what = `/users ${sort} ${order}`;
          // One user in 10,000 (scale0001234): the trigram index finds it; walking a sort's index would read
          // every user (1–2 s at 1 M).
          const rare = await pages(`${what} search=0001234`, async (p) => {
            const page = await repo.list({ ...p, search: "0001234", sort, order });
            expect(page.items.map((u) => u.login)).toEqual(["scale0001234"]);
            return page;
          });
          for (const s of rare) expect(indexesUsed(s.plan), `${what}: ${s.name}`).toContain("users_login_trgm_idx");
          // Every user matches: the first page is the first 21 entries of the sort's index, filtered.
          const common = await pages(`${what} search=scale`, (p) => repo.list({ ...p, search: "scale", sort, order }));
          for (const s of common)
            expect(indexesUsed(s.plan), `${what}: ${s.name}`).not.toContain("users_login_trgm_idx");
          // Two characters have no trigram: the sort's index, filtered (correct; fast while matches are dense).
          await pages(`${what} search=e0`, (p) => repo.list({ ...p, search: "e0", sort, order }));
          // With a status filter too.
          const disabled = await pages(`${what} search=0001 disabled`, (p) =>
            repo.list({ ...p, search: "0001", status: "disabled", sort, order }),
          );
          expect(disabled.length).toBeGreaterThan(0);
        }
      }
    });

    it("the event outbox: the sequencer, the dispatcher's claim and its timer, the backlog, the relay's reads", async () => {
      const events = eventsRepository({ sql });
      const deliveries = webhookEndpointDeliveriesRepository({ sql });
      const relays = eventRelaysRepository({ sql });
      // The sequencer numbers the committed events without a seq (the last 20) and fans them out.
      const sequenced = await explainedBy(async () => {
        expect(await events.sequence()).toEqual({ sequenced: OUTBOX.unsequenced, fanned: 3 * OUTBOX.unsequenced });
      });
      // seq IS NULL is a range of the unique index on seq (NULLs are indexed), in pos order after a sort of
      // the few rows found.
      expect(indexesUsed(planOf(sequenced, "events.pending"))).toContain("events_seq_key");
      expect(indexesUsed(planOf(sequenced, "events.sequence"))).toContain("events_seq_key");
      // The claim takes the due deliveries (the 100 seeded due, then the 60 fanned out just now) by
      // (status, next_attempt_at), FOR UPDATE SKIP LOCKED, and moves them one lease ahead.
      const claimed = await explainedBy(async () => {
        expect(await deliveries.claim(16, 60)).toHaveLength(16);
      });
      const claim = planOf(claimed, "endpoint-deliveries.claim");
      expect(indexesUsed(claim)).toContain("webhook_endpoint_deliveries_status_next_attempt_at_idx");
      expect(nodes(claim).some((n) => n["Node Type"] === "LockRows")).toBe(true);
      const timer = await explainedBy(() => deliveries.nextDueSeconds());
      expect(indexesUsed(planOf(timer, "endpoint-deliveries.next-due"))).toContain(
        "webhook_endpoint_deliveries_status_next_attempt_at_idx",
      );
      const backlog = await explainedBy(async () => {
        expect(await events.backlog()).toMatchObject({ unsequenced: 0 });
        expect(await deliveries.pendingCount()).toBe(OUTBOX.pendingDue + OUTBOX.pendingLater + 3 * OUTBOX.unsequenced);
      });
      expect(indexesUsed(planOf(backlog, "events.backlog"))).toEqual(
        expect.arrayContaining(["events_seq_key", "webhook_endpoint_deliveries_status_next_attempt_at_idx"]),
      );
      expect(indexesUsed(planOf(backlog, "endpoint-deliveries.pending-count"))).toContain(
        "webhook_endpoint_deliveries_status_next_attempt_at_idx",
      );
      // The relay (NATS) and GET /events: its lease, then the events after its seq, in seq order.
      const relay = await explainedBy(async () => {
        expect(await relays.lease("nats", "scale-plans", 30)).toBe(0);
        expect(await events.list({ after: 50_000, limit: 100 })).toHaveLength(100);
        expect(await events.list({ after: 50_000, limit: 100, type: "purchase.completed" })).toHaveLength(100);
      });
      expect(indexesUsed(planOf(relay, "events.list"))).toContain("events_seq_key");
      // A type of half the events: walking seq and filtering is as good as (type, seq); a rare type takes that.
      expect(indexesUsed(planOf(relay, "events.list-by-type"))).toEqual([
        expect.stringMatching(/^events_(seq_key|type_seq_idx)$/),
      ]);
    });

    it("the holds: the live held of an account (purchase path, account JSON), its authorizations, the reports' held", async () => {
      const live = authorizationsRepository({ sql });
      // Account 1 + i % 20,000 holds authorization i: account 201 has i = 200, 20,200, … — live (i % 200 = 0).
      const account = accountId(201);
      const listed = await explainedBy(async () => {
        for (const status of [null, "authorized", "expired", "captured", "voided"]) {
          expect(await live.ofAccount({ accountId: account, status, limit: 50 })).not.toBeNull();
        }
      });
      // The account's rows by (account_id, created_at); `authorized` by the partial index of the live ones.
      for (const s of listed) {
        const used = indexesUsed(s.plan).filter((i) => i.startsWith("authorizations_"));
        expect(used, `${s.name} ${JSON.stringify(s.values)}`).toHaveLength(1);
        expect(["authorizations_account_id_created_at_idx", "authorizations_live_idx"]).toContain(used[0]);
      }
      const held = await explainedBy(async () => {
        expect((await ledger.account(sql, account))!.held).not.toBe("0.00");
      });
      expect(indexesUsed(planOf(held, "ledger.account"))).toContain("authorizations_live_idx");
      // The purchase path: the one statement (its answer carries the account with its live held), and
      // what a refusal is judged on.
      const buyer = { productId: productId(1), accountId: account, userId: userId(201) };
      const purchase = await explainedBy(async () => {
        expect(await ledger.purchase(sql, buyer)).not.toBeNull();
        await ledger.purchaseRefusal(sql, buyer);
      });
      expect(indexesUsed(planOf(purchase, "accounts.purchase"))).toContain("authorizations_live_idx");
      expect(indexesUsed(planOf(purchase, "accounts.purchase-refusal"))).toContain("authorizations_live_idx");
      // /stats and /reconciliation: the held now, a range of the unexpired holds' expiry dates (not every hold
      // still stored `authorized`: those expired and never released are most of them here).
      await rollupsRepository(h.db).run({ marginSeconds: 0, steps: 100 });
      const reports = reportsRepository({ sql });
      const today = new Date().toISOString().slice(0, 10);
      // users: the status counts read every user once (as in the reports' test above).
      const read = await explainedBy(async () => {
        const stats = await reports.stats(today, today);
        expect(stats.totals.held).not.toBe("0.00");
        const rec = await reports.reconciliation();
        expect(rec.held).toBe(stats.totals.held);
        expect(rec.balanced, JSON.stringify(rec)).toBe(true);
      }, ["users"]);
      for (const name of ["reports.stats", "reports.reconciliation"]) {
        const plans = read.filter((s) => s.name.startsWith(name));
        expect(plans.length, name).toBeGreaterThan(0);
        const conds = plans.flatMap((s) =>
          nodes(s.plan)
            .filter((n) => n["Index Name"] === "authorizations_live_expires_at_idx")
            .map((n) => (n as { "Index Cond"?: string })["Index Cond"] ?? "none"),
        );
        expect(conds, name).toEqual([expect.stringMatching(/^\(expires_at > now\(\)\)$/)]);
      }
    });
  },
);
