// Crash: an API server process under mixed load is killed with SIGKILL (no graceful shutdown, requests
// in flight), restarted on the same PostgreSQL database, and checked — several times over. After each
// restart: the invariants hold, every request answered 2xx before the kill is in the ledger, and the
// ledger holds nothing that was not acknowledged except what the unanswered requests did. Then every
// unanswered request is retried as a client would (the same webhook body; the same Idempotency-Key):
// a webhook already applied answers already_processed, a purchase already made answers replayed, and
// in the end the ledger is exactly the set of acknowledged operations. Administrators work alongside
// (products created, edited, deleted and restored; users disabled and enabled: admin-load.ts): after
// each restart the audit log explains every committed change, and names none that did not commit.
// PostgreSQL only (the embedded PGlite is not shared with a child process).
import { randomInt } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createDb, type Db } from "@shop/db";
import pg from "pg";
import { createEmptyPostgresDb, testDatabaseUrl, testDbOptions } from "@shop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send } from "../support/http.ts";
import { type AdminLoadFigures, expectAuditExplainsState, runAdminLoad } from "./admin-load.ts";
import { type ApiServer, SERVER_SECRETS, spawnApiServer, startApiServer, waitReady } from "./api-server.ts";
import { RELIABILITY_SECONDS, summary } from "./figures.ts";
import { expectMoneyInvariants, expectTallyMatchesLedger, ledgerContents, moneyFigures } from "./invariants.ts";
import {
  Tally,
  type UnknownRequest,
  type World,
  createLoadProducts,
  createLoadUsers,
  fundAccounts,
  runLoad,
  sendOperator,
} from "./load.ts";

const SKIP_REASON =
  "PostgreSQL only: it runs API server child processes on one database; set DATABASE_URL to a PostgreSQL server";

const CRASHES = Number(process.env.RELIABILITY_CRASHES ?? 3);
/** Load before each kill: a share of RELIABILITY_SECONDS, at least 1.5 s. */
const LOAD_MS = Math.max(1500, (RELIABILITY_SECONDS * 1000) / (CRASHES + 1));

if (!testDatabaseUrl) console.log(`[reliability] crash.int.test.ts: ${SKIP_REASON}`);

describe.skipIf(!testDatabaseUrl)(
  `crash: kill -9 under load, restart on the same database${testDatabaseUrl ? "" : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    let drop: (() => Promise<void>) | undefined;
    let url: string;
    let db: Db;
    let server: ApiServer | undefined;
    const everyServer: ApiServer[] = [];
    let world: World;
    /** Users only the administrators' load disables and enables (the money load never uses them). */
    let adminTargets: string[] = [];
    const tally = new Tally();
    /**
     * Keyed load against `base` until `control.stopped`, from a test about to break the server:
     * `tolerate` says which failures then count as "outcome unknown" rather than as a bug.
     */
    const loadUntilStopped = (
      base: string,
      control: { stopped: boolean },
      tolerate: { expectCrash: true } | { allow5xxAsUnknown: true },
    ) =>
      runLoad({
        bases: [base],
        world,
        tally,
        concurrency: 20,
        durationMs: 10 * 60_000,
        alwaysKey: true,
        control,
        ...tolerate,
      });
    const figures = {
      kills: 0,
      inflightAtKill: [] as number[],
      unanswered: 0,
      restartMs: [] as number[],
      retried: {
        credits: 0,
        creditsAlreadyApplied: 0,
        purchases: 0,
        purchasesAlreadyApplied: 0,
        purchasesNew: 0,
        operator: 0,
      },
      sigterm: {
        inflightAtSigterm: 0,
        exitCode: null as number | null,
        signal: null as string | null,
        shutdownMs: 0,
        unansweredSentBefore: 0,
        refusedAfter: 0,
      },
      dbConnectionsKilled: { connections: 0, status5xx: 0, recoveredWithinMs: 0 },
      admin: { sent: 0, answered2xx: 0, unanswered: 0, byAction: {} } as AdminLoadFigures,
      auditChecked: { operatorMoves: 0, auditEntries: 0, products: 0 },
    };

    beforeAll(async () => {
      const empty = await createEmptyPostgresDb(testDatabaseUrl!);
      drop = empty.drop;
      url = empty.url;
      server = await startApiServer({ name: "api", databaseUrl: url });
      everyServer.push(server);
      db = await createDb({ ...testDbOptions(url), migrate: false, poolSize: 3 });
      const login = await send(server.base, "POST", "/auth", {
        json: { login: SERVER_SECRETS.ADMIN_LOGIN, password: SERVER_SECRETS.ADMIN_PASSWORD },
      });
      if (login.status !== 200) throw new Error(`admin sign-in: ${login.status} ${login.text}`);
      world = {
        users: await createLoadUsers(db.prisma, 30, SERVER_SECRETS.JWT_SECRET),
        products: await createLoadProducts(server.base, login.body.accessToken),
        paymentKey: SERVER_SECRETS.PAYMENT_PRIVATE_KEY,
        adminToken: login.body.accessToken,
      };
      adminTargets = (await createLoadUsers(db.prisma, 5, SERVER_SECRETS.JWT_SECRET)).map((u) => u.id);
      await fundAccounts({ bases: [server.base], world, tally });
    }, 120_000);

    afterAll(async () => {
      await Promise.all(everyServer.map((s) => s.stop()));
      await db?.close();
      await drop?.();
      summary("crash", { crashes: CRASHES, ...figures, load: tally.figures() });
    });

    /** Retries an unanswered request the way its client would, and checks the answer against the ledger. */
    async function retry(base: string, request: UnknownRequest) {
      if (request.kind === "refund" || request.kind === "adjust") {
        // Sent with an Idempotency-Key: resending either applies it once or replays the first answer.
        figures.retried.operator += 1;
        await sendOperator({ world, tally }, base, request);
        return;
      }
      if (request.kind === "credit") {
        figures.retried.credits += 1;
        const before = await db.prisma.ledgerEntry.findUnique({ where: { transactionId: BigInt(request.tx) } });
        const reply = await send(base, "POST", "/payment/webhook", { raw: request.body });
        tally.recordCredit(request.tx, reply, request.conflict);
        if (before && !request.conflict) {
          figures.retried.creditsAlreadyApplied += 1;
          expect(reply.body?.status, reply.text).toBe("already_processed");
        }
        return;
      }
      figures.retried.purchases += 1;
      // The purchase committed iff its Idempotency-Key did (same transaction): its stored answer names it.
      const stored = await db.prisma.idempotencyKey.findUnique({
        where: { scope_key: { scope: `purchase:${request.user.id}`, key: request.key! } },
      });
      const before = stored && { id: (stored.body as { purchase: { id: string } }).purchase.id };
      const reply = await send(base, "POST", "/products/buy", {
        token: request.user.token,
        json: { productId: request.productId, accountId: request.accountId },
        headers: { "idempotency-key": request.key! },
      });
      tally.recordBuy(reply, request.key);
      if (before) {
        figures.retried.purchasesAlreadyApplied += 1;
        expect(reply.status, reply.text).toBe(200);
        expect(reply.body.replayed).toBe(true);
        expect(reply.body.purchase.id).toBe(before.id);
      } else if (reply.status === 200 && reply.body.replayed === false) {
        figures.retried.purchasesNew += 1;
      }
    }

    it(
      `${CRASHES} × (load ${Math.round(LOAD_MS)} ms, kill -9 with requests in flight, restart, check, retry the unanswered)`,
      { timeout: CRASHES * (LOAD_MS + 90_000) },
      async () => {
        for (let cycle = 0; cycle < CRASHES; cycle++) {
          const current = server!;
          const control = { stopped: false };
          const load = loadUntilStopped(current.base, control, { expectCrash: true });
          const adminLoad = runAdminLoad({
            base: current.base,
            adminToken: world.adminToken!,
            targets: adminTargets,
            control,
            figures: figures.admin,
          });
          await sleep(LOAD_MS * (0.6 + Math.random() * 0.4));
          // Kill while requests are in flight.
          for (let i = 0; i < 100 && tally.inflight === 0; i++) await sleep(5);
          figures.inflightAtKill.push(tally.inflight);
          await current.kill9();
          figures.kills += 1;
          control.stopped = true;
          await Promise.all([load, adminLoad]);
          expect((await current.exited).signal).toBe("SIGKILL");
          expect(tally.unexpected, "answers no scenario allows").toEqual([]);

          const restartedAt = Date.now();
          server = spawnApiServer({ name: `api-restart-${cycle + 1}`, databaseUrl: url, port: current.port });
          everyServer.push(server);
          await waitReady(server);
          figures.restartMs.push(Date.now() - restartedAt);

          // The state the crash left: consistent; every acknowledged operation present; anything extra
          // comes from a request that never got its answer.
          expectMoneyInvariants(await moneyFigures(db.prisma));
          figures.auditChecked = await expectAuditExplainsState(db.prisma, adminTargets);
          const ledger = await ledgerContents(db.prisma);
          const missingCredits = [...tally.credits.keys()].filter((tx) => !ledger.credits.has(tx));
          const missingPurchases = [...tally.purchases.keys()].filter((id) => !ledger.purchases.has(id));
          expect(missingCredits, "credits answered 2xx and lost in the crash").toEqual([]);
          expect(missingPurchases, "purchases answered 2xx and lost in the crash").toEqual([]);
          const lostOperator = [
            ...[...tally.refunds.keys()].filter((id) => !ledger.refunds.has(id)),
            ...[...tally.adjustments.keys()].filter((id) => !ledger.adjustments.has(id)),
          ];
          expect(lostOperator, "refunds and adjustments answered 2xx and lost in the crash").toEqual([]);
          const unknownTx = new Set(tally.unknown.flatMap((u) => (u.kind === "credit" ? [u.tx] : [])));
          const extraCredits = [...ledger.credits.keys()].filter((tx) => !tally.credits.has(tx) && !unknownTx.has(tx));
          expect(extraCredits, "credits nobody sent").toEqual([]);

          // Clients retry what went unanswered.
          const unanswered = tally.unknown.splice(0);
          figures.unanswered += unanswered.length;
          for (let i = 0; i < unanswered.length; i += 10) {
            await Promise.all(unanswered.slice(i, i + 10).map((u) => retry(server!.base, u)));
          }
          expect(tally.unexpected, "answers to retries no scenario allows").toEqual([]);
          // A few requests, then the next crash.
          if (randomInt(2) === 0) await sleep(50);
        }

        // A last stretch of load on the last restart, then the full check: the ledger is exactly the
        // set of acknowledged operations.
        await runLoad({ bases: [server!.base], world, tally, concurrency: 20, durationMs: 1000, alwaysKey: true });
        expect(tally.unexpected).toEqual([]);
        expect(tally.unknown).toEqual([]);
        const money = await moneyFigures(db.prisma);
        expectMoneyInvariants(money);
        expectTallyMatchesLedger(tally, await ledgerContents(db.prisma));
        const f = tally.figures();
        expect(money.totalBalances).toBe(f.creditedCents - f.purchasedCents + f.refundedCents + f.adjustedCents);
        // No duplicate effect of a retried request (the tally check above: one ledger row per
        // transaction_id and per acknowledged id); every committed Idempotency-Key holds its answer.
        expect(await db.prisma.idempotencyKey.count({ where: { status: null } })).toBe(0);
        figures.auditChecked = await expectAuditExplainsState(db.prisma, adminTargets);
        expect(figures.unanswered, "the kills hit requests in flight").toBeGreaterThan(0);
        // The restarted servers logged no error (the killed ones could not).
        for (const s of everyServer.slice(1)) expect(s.errorLines(), `${s.name} logged errors`).toEqual([]);
        Object.assign(figures, {
          moneyLostCents: f.creditedCents - f.purchasedCents + f.refundedCents + f.adjustedCents - money.totalBalances,
        });
      },
    );
    /** Retries every request whose outcome is unknown, ten at a time, against `base`. */
    async function retryUnknown(base: string) {
      const unanswered = tally.unknown.splice(0);
      figures.unanswered += unanswered.length;
      for (let i = 0; i < unanswered.length; i += 10) {
        await Promise.all(unanswered.slice(i, i + 10).map((u) => retry(base, u)));
      }
    }

    it("SIGTERM under load: every request sent before the signal is answered, nothing is lost", async () => {
      const current = server!;
      const control = { stopped: false };
      // The clients go on sending (over their keep-alive connections) while the server shuts down, as a
      // load balancer's would until it notices.
      const load = loadUntilStopped(current.base, control, { expectCrash: true });
      await sleep(1500);
      for (let i = 0; i < 100 && tally.inflight === 0; i++) await sleep(5);
      figures.sigterm.inflightAtSigterm = tally.inflight;
      const sigtermAt = Date.now();
      await current.stop(20_000);
      const shutdownMs = Date.now() - sigtermAt;
      control.stopped = true;
      await load;
      const { code, signal } = await current.exited;
      Object.assign(figures.sigterm, { exitCode: code, signal, shutdownMs });
      const sentBefore = tally.unknown.filter((u) => (u.startedAt ?? 0) < sigtermAt);
      figures.sigterm.unansweredSentBefore = sentBefore.length;
      figures.sigterm.refusedAfter = tally.unknown.length - sentBefore.length;
      const unexpected = tally.unexpected.splice(0);

      // Back up, and the clients retry what went unanswered.
      server = await startApiServer({ name: "api-after-sigterm", databaseUrl: url, port: current.port });
      everyServer.push(server);
      await retryUnknown(server.base);

      expect(unexpected).toEqual([]);
      expect(tally.unexpected).toEqual([]);
      expect(signal, "the process ended by itself").toBeNull();
      expect(
        sentBefore.map((u) => `${u.kind} sent ${sigtermAt - u.startedAt!} ms before SIGTERM: ${u.reason}`),
        "requests in flight at SIGTERM left unanswered",
      ).toEqual([]);
      expect(code, "graceful shutdown exit code").toBe(0);
      expect(shutdownMs, "drain time").toBeLessThan(5000);
      expectMoneyInvariants(await moneyFigures(db.prisma));
      expectTallyMatchesLedger(tally, await ledgerContents(db.prisma));
    });

    it("PostgreSQL terminates every connection of the running server under load: it recovers by itself", async () => {
      const current = server!;
      const networkErrorsBefore = tally.networkErrors;
      const control = { stopped: false };
      const load = loadUntilStopped(current.base, control, { allow5xxAsUnknown: true });
      await sleep(1000);
      const killer = new pg.Client({ connectionString: url, application_name: "reliability-fault" });
      await killer.connect();
      let killedAt: number;
      try {
        killedAt = Date.now();
        const { rowCount } = await killer.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        );
        figures.dbConnectionsKilled.connections = rowCount ?? 0;
      } finally {
        await killer.end();
      }
      // Load goes on; the server must be healthy again without a restart.
      let recovered = 0;
      for (let i = 0; i < 100; i++) {
        const ready = await send(current.base, "GET", "/ready").catch(() => undefined);
        if (ready?.status === 200) {
          recovered = Date.now() - killedAt;
          break;
        }
        await sleep(50);
      }
      await sleep(2000);
      control.stopped = true;
      await load;
      figures.dbConnectionsKilled.status5xx = tally.serverErrorsAt.length;
      figures.dbConnectionsKilled.recoveredWithinMs = recovered;
      expect(figures.dbConnectionsKilled.connections).toBeGreaterThan(0);
      expect(current.alive(), `the server survived:\n${current.errorLines().slice(-40).join("\n")}`).toBe(true);
      expect(tally.unexpected).toEqual([]);
      expect(tally.networkErrors - networkErrorsBefore, "connections refused or reset by the server").toBe(0);
      // 5xx only for the requests caught by the fault: none later than 3 s after it.
      const late = tally.serverErrorsAt.filter((t) => t > killedAt + 3000).length;
      expect(late, "5xx answered more than 3 s after the connections were killed").toBe(0);
      const ready = await send(current.base, "GET", "/ready");
      expect(ready.status).toBe(200);
      // The 5xx answers are unknown outcomes: clients retry them with the same webhook / Idempotency-Key.
      tally.serverErrorsAt.splice(0);
      await retryUnknown(current.base);
      expect(tally.unexpected).toEqual([]);
      expectMoneyInvariants(await moneyFigures(db.prisma));
      expectTallyMatchesLedger(tally, await ledgerContents(db.prisma));
    });
  },
);
