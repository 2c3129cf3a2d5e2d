// Scale-out: two API server processes (`node --import tsx apps/api/src/main.ts`, free ports) started at
// the same moment on one fresh PostgreSQL database, so both migrate concurrently; then the races the
// in-process tests run, split across both servers, and mixed load on both; then the money invariants.
// PostgreSQL only: PGlite is one process's embedded database.
import { createDb, type Db } from "@shop/db";
import { createEmptyPostgresDb, testDatabaseUrl, testDbOptions } from "@shop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send } from "../support/http.ts";
import { freePort } from "../support/processes.ts";
import { webhookText } from "../support/webhook.ts";
import { type ApiServer, SERVER_SECRETS, spawnApiServer, waitReady } from "./api-server.ts";
import { RELIABILITY_SECONDS, summary } from "./figures.ts";
import { expectMoneyInvariants, expectTallyMatchesLedger, ledgerContents, moneyFigures } from "./invariants.ts";
import {
  Tally,
  type World,
  createLoadProducts,
  createLoadUsers,
  freshProviderId,
  fundAccounts,
  runLoad,
} from "./load.ts";

const SKIP_REASON =
  "PostgreSQL only: it runs API server child processes on one database; set DATABASE_URL to a PostgreSQL server";

const LOAD_SECONDS = Math.max(2, RELIABILITY_SECONDS / 2);

if (!testDatabaseUrl) console.log(`[reliability] scale-out.int.test.ts: ${SKIP_REASON}`);

describe.skipIf(!testDatabaseUrl)(
  `scale-out: two API processes on one PostgreSQL database${testDatabaseUrl ? "" : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    let drop: (() => Promise<void>) | undefined;
    let url: string;
    let db: Db;
    let servers: ApiServer[] = [];
    const startCrashes: string[] = [];
    let a: ApiServer;
    let b: ApiServer;
    let adminToken: string;
    let world: World;
    const tally = new Tally();
    const races: Record<string, unknown>[] = [];
    let moneyLostCents: bigint | undefined;

    beforeAll(async () => {
      const empty = await createEmptyPostgresDb(testDatabaseUrl!);
      drop = empty.drop;
      url = empty.url;
      // Both processes start at the same moment on an empty database: both run the migrator.
      const ports = [await freePort(), await freePort()];
      servers = ports.map((port, i) => spawnApiServer({ name: `api-${"ab"[i]}`, databaseUrl: url, port }));
      const started = await Promise.allSettled(servers.map((s) => waitReady(s)));
      for (const [i, result] of started.entries()) {
        if (result.status === "fulfilled") continue;
        const crashed = servers[i]!;
        startCrashes.push(`${crashed.name}: ${crashed.errorLines().join("\n").slice(0, 1500)}`);
        // Restart the instance that died, on the same port and database.
        servers[i] = spawnApiServer({ name: `${crashed.name}-restarted`, databaseUrl: url, port: crashed.port });
        await waitReady(servers[i]!);
      }
      [a, b] = servers as [ApiServer, ApiServer];
      db = await createDb({ ...testDbOptions(url), migrate: false, poolSize: 3 });

      const login = await send(a.base, "POST", "/auth", {
        json: { login: SERVER_SECRETS.ADMIN_LOGIN, password: SERVER_SECRETS.ADMIN_PASSWORD },
      });
      expect(login.status, login.text).toBe(200);
      adminToken = login.body.accessToken;
      world = {
        users: await createLoadUsers(db.prisma, 30, SERVER_SECRETS.JWT_SECRET),
        products: await createLoadProducts(b.base, adminToken),
        paymentKey: SERVER_SECRETS.PAYMENT_PRIVATE_KEY,
      };
      await fundAccounts({ bases: [a.base, b.base], world, tally });
    }, 180_000);

    afterAll(async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await db?.close();
      await drop?.();
      summary("scale-out", {
        servers: 2,
        startCrashes: startCrashes.length,
        moneyLostCents,
        races: races.length,
        raceRequests: races.reduce((n, r) => n + Number(r.requests ?? 0), 0),
        raceDetails: races,
        load: tally.figures(),
      });
    });

    /** Alternates the servers: request i goes to a, i+1 to b. */
    const server = (i: number) => (i % 2 === 0 ? a : b);

    async function userWithAccount(amount: string) {
      const [user] = await createLoadUsers(db.prisma, 1, SERVER_SECRETS.JWT_SECRET);
      const bill = freshProviderId();
      const body = webhookText(SERVER_SECRETS.PAYMENT_PRIVATE_KEY, {
        tx: freshProviderId(),
        user: user!.numericId,
        bill,
        amount,
      });
      const res = await send(a.base, "POST", "/payment/webhook", { raw: body });
      expect(res.status, res.text).toBe(200);
      return { user: user!, accountId: String(res.body.accountId), bill };
    }

    it("both instances migrated the fresh database at once and serve it", async () => {
      expect(startCrashes, "instances that died at a concurrent first start").toEqual([]);
      const migrations = await db.prisma.$queryRawUnsafe<{ n: number; finished: number }[]>(
        `SELECT count(*)::int AS n, count(finished_at)::int AS finished FROM _prisma_migrations WHERE rolled_back_at IS NULL`,
      );
      // Each migration recorded once (the advisory lock serialised the two migrators), all finished.
      const names = await db.prisma.$queryRawUnsafe<{ migration_name: string; c: number }[]>(
        `SELECT migration_name, count(*)::int AS c FROM _prisma_migrations GROUP BY migration_name HAVING count(*) > 1`,
      );
      expect(names).toEqual([]);
      expect(migrations[0]!.n).toBeGreaterThanOrEqual(2);
      expect(migrations[0]!.finished).toBe(migrations[0]!.n);
      expect(await db.prisma.user.count({ where: { isAdmin: true } })).toBe(1);
      for (const s of [a, b]) {
        const ready = await send(s.base, "GET", "/ready");
        expect(ready.status).toBe(200);
        expect(ready.body.database).toBe("postgres");
      }
    });

    it("50 parallel purchases on one account split over both servers: exactly floor(balance / price) succeed", async () => {
      const { user, accountId } = await userWithAccount("100.00");
      const product = world.products.find((p) => p.price === 700n)!; // 7.00 → floor(100 / 7) = 14
      const replies = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          send(server(i).base, "POST", "/products/buy", {
            token: user.token,
            json: { productId: product.id, accountId },
          }),
        ),
      );
      const ok = replies.filter((r) => r.status === 200);
      expect(ok).toHaveLength(14);
      expect(replies.filter((r) => r.status === 402)).toHaveLength(36);
      // Both servers sold: the race really was across processes.
      expect(new Set(replies.map((r, i) => (r.status === 200 ? server(i).name : "")).filter(Boolean)).size).toBe(2);
      const afters = ok.map((r) => r.body.purchase.balanceAfter as string).sort();
      expect(afters).toEqual(Array.from({ length: 14 }, (_, i) => `${100 - 7 * (i + 1)}.00`).sort());
      const account = await db.prisma.account.findUniqueOrThrow({ where: { id: accountId } });
      expect(account.balance.toFixed(2)).toBe("2.00");
      races.push({ race: "50 purchases, one account, 2 servers", requests: 50, succeeded: 14, refused402: 36 });
    });

    it("50 identical webhooks split over both servers: all 200, one credit", async () => {
      const [user] = await createLoadUsers(db.prisma, 1, SERVER_SECRETS.JWT_SECRET);
      const tx = freshProviderId();
      const body = webhookText(SERVER_SECRETS.PAYMENT_PRIVATE_KEY, {
        tx,
        user: user!.numericId,
        bill: freshProviderId(),
        amount: "42.5",
      });
      const replies = await Promise.all(
        Array.from({ length: 50 }, (_, i) => send(server(i).base, "POST", "/payment/webhook", { raw: body })),
      );
      for (const r of replies) expect(r.status, r.text).toBe(200);
      expect(replies.filter((r) => r.body.status === "credited")).toHaveLength(1);
      expect(new Set(replies.map((r) => r.body.accountId)).size).toBe(1);
      for (const r of replies) expect(r.body.balance).toBe("42.50");
      expect(await db.prisma.ledgerEntry.count({ where: { transactionId: BigInt(tx) } })).toBe(1);
      const account = await db.prisma.account.findUniqueOrThrow({ where: { id: replies[0]!.body.accountId } });
      expect(account.balance.toFixed(2)).toBe("42.50");
      races.push({ race: "50 identical webhooks, 2 servers", requests: 50, credited: 1 });
    });

    it("parallel first credits to one new bill_id across both servers: one account, every credit applied once", async () => {
      const [user] = await createLoadUsers(db.prisma, 1, SERVER_SECRETS.JWT_SECRET);
      const bill = freshProviderId();
      const txs = Array.from({ length: 30 }, () => freshProviderId());
      const replies = await Promise.all(
        txs.map((tx, i) =>
          send(server(i).base, "POST", "/payment/webhook", {
            raw: webhookText(SERVER_SECRETS.PAYMENT_PRIVATE_KEY, { tx, user: user!.numericId, bill, amount: "1.25" }),
          }),
        ),
      );
      for (const r of replies) expect(r.status, r.text).toBe(200);
      for (const r of replies) expect(r.body.status).toBe("credited");
      const accounts = await db.prisma.account.findMany({ where: { numericId: BigInt(bill) } });
      expect(accounts).toHaveLength(1);
      expect(accounts[0]!.balance.toFixed(2)).toBe("37.50");
      expect(new Set(replies.map((r) => r.body.accountId))).toEqual(new Set([accounts[0]!.id]));
      // Each answer's balance is a distinct step 1.25, 2.50, … 37.50.
      expect(new Set(replies.map((r) => r.body.balance)).size).toBe(30);
      races.push({ race: "30 first credits, one new bill_id, 2 servers", requests: 30, accounts: 1 });
    });

    it("20 parallel purchases with one Idempotency-Key across both servers: one charge", async () => {
      const { user, accountId } = await userWithAccount("50.00");
      const product = world.products.find((p) => p.price === 333n)!;
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          send(server(i).base, "POST", "/products/buy", {
            token: user.token,
            json: { productId: product.id, accountId },
            headers: { "idempotency-key": "scale-out-key" },
          }),
        ),
      );
      for (const r of replies) expect(r.status, r.text).toBe(200);
      expect(new Set(replies.map((r) => r.body.purchase.id)).size).toBe(1);
      expect(replies.filter((r) => r.body.replayed === false)).toHaveLength(1);
      const account = await db.prisma.account.findUniqueOrThrow({ where: { id: accountId } });
      expect(account.balance.toFixed(2)).toBe("46.67");
      races.push({ race: "20 purchases, one Idempotency-Key, 2 servers", requests: 20, charged: 1 });
    });

    it("two users racing across both servers to open one new bill_id: one owns it, the others get 409", async () => {
      const users = await createLoadUsers(db.prisma, 2, SERVER_SECRETS.JWT_SECRET);
      const bill = freshProviderId();
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          send(server(i).base, "POST", "/payment/webhook", {
            raw: webhookText(SERVER_SECRETS.PAYMENT_PRIVATE_KEY, {
              tx: freshProviderId(),
              user: users[i % 2]!.numericId,
              bill,
              amount: "2",
            }),
          }),
        ),
      );
      const accounts = await db.prisma.account.findMany({ where: { numericId: BigInt(bill) } });
      expect(accounts).toHaveLength(1);
      const owner = users.find((u) => u.id === accounts[0]!.userId)!;
      const ownerReplies = replies.filter((_, i) => users[i % 2] === owner);
      const otherReplies = replies.filter((_, i) => users[i % 2] !== owner);
      for (const r of ownerReplies) expect(r.status, r.text).toBe(200);
      for (const r of otherReplies) expect(r.status, r.text).toBe(409);
      expect(accounts[0]!.balance.toFixed(2)).toBe("20.00");
      races.push({ race: "2 users open one bill_id, 2 servers", requests: 20, owners: 1 });
    });

    it(
      `${LOAD_SECONDS} s of mixed load split over both servers: the invariants hold and the ledger is what was acknowledged`,
      { timeout: (LOAD_SECONDS + 60) * 1000 },
      async () => {
        await runLoad({ bases: [a.base, b.base], world, tally, concurrency: 20, durationMs: LOAD_SECONDS * 1000 });
        expect(tally.unexpected).toEqual([]);
        expect(tally.buyAnswers.ok).toBeGreaterThan(20);
        const money = await moneyFigures(db.prisma);
        expectMoneyInvariants(money);
        moneyLostCents = money.totalCredits - money.totalPurchases - money.totalBalances;
        // The races above went through the same ledger; only the load's own rows are in the tally.
        const ledger = await ledgerContents(db.prisma);
        const loadLedger = {
          credits: new Map([...ledger.credits].filter(([tx]) => tally.credits.has(tx))),
          purchases: new Map([...ledger.purchases].filter(([id]) => tally.purchases.has(id))),
        };
        expectTallyMatchesLedger(tally, loadLedger);
        for (const s of [a, b]) expect(s.errorLines(), `${s.name} logged errors`).toEqual([]);
      },
    );
  },
);
