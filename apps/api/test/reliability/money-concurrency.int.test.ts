// Money under concurrency: RELIABILITY_SECONDS (default 10) of mixed webhook credits, webhook
// replays and conflicting replays, purchases with and without Idempotency-Key and purchase retries, on
// 30 users with 1–2 accounts each (some open more during the run), from 20 concurrent clients, against
// the in-process app listening on a real socket. Runs on both engines (PGlite serialises; PostgreSQL
// races for real). Afterwards: every balance is the sum of its ledger, no balance is negative, every
// ledger row's balance_after is the running sum, Σ balances = Σ credits − Σ purchases, and the ledger
// holds exactly what was acknowledged with a 2xx — nothing more, nothing less.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, useHarness } from "../harness.ts";
import { ENGINE, RELIABILITY_SECONDS, summary } from "./figures.ts";
import { expectMoneyInvariants, expectTallyMatchesLedger, ledgerContents, moneyFigures } from "./invariants.ts";
import { Tally, type World, createLoadProducts, createLoadUsers, fundAccounts, runLoad } from "./load.ts";

const USERS = 30;
const CONCURRENCY = 20;

describe(`money under concurrency (${ENGINE})`, () => {
  const h = useHarness({ poolSize: CONCURRENCY });
  let server: Server;
  let base: string;
  let world: World;
  const tally = new Tally();

  beforeAll(async () => {
    server = createServer(h.app);
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const admin = await createUser(h, { isAdmin: true });
    world = {
      users: await createLoadUsers(h.db.prisma, USERS, h.config.jwtSecret),
      products: await createLoadProducts(base, admin.token),
      paymentKey: h.config.paymentPrivateKey,
    };
    await fundAccounts({ bases: [base], world, tally });
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  it(
    `${RELIABILITY_SECONDS} s of mixed credits and purchases from ${CONCURRENCY} clients on ${USERS} users: no money created or lost`,
    { timeout: (RELIABILITY_SECONDS + 90) * 1000 },
    async () => {
      const started = Date.now();
      await runLoad({ bases: [base], world, tally, concurrency: CONCURRENCY, durationMs: RELIABILITY_SECONDS * 1000 });
      const seconds = (Date.now() - started) / 1000;

      expect(tally.unexpected, "answers no scenario allows").toEqual([]);
      expect(tally.status5xx).toBe(0);
      // The load did what it is for: both outcomes of a purchase happened, often.
      expect(tally.buyAnswers.ok).toBeGreaterThan(20);
      expect(tally.buyAnswers.insufficient).toBeGreaterThan(20);
      expect(tally.creditAnswers.credited).toBeGreaterThan(20);

      const money = await moneyFigures(h.db.prisma);
      expectMoneyInvariants(money);
      // What was acknowledged is what the ledger holds.
      expectTallyMatchesLedger(tally, await ledgerContents(h.db.prisma));
      const f = tally.figures();
      expect(money.totalCredits).toBe(f.creditedCents);
      expect(money.totalPurchases).toBe(f.purchasedCents);
      expect(money.totalBalances).toBe(f.creditedCents - f.purchasedCents);

      summary("money-concurrency", {
        seconds: Number(seconds.toFixed(1)),
        concurrency: CONCURRENCY,
        users: USERS,
        accounts: money.accounts,
        ...f,
        requestsPerSecond: Math.round(f.requests / seconds),
        ledgerRows: money.creditEntries + money.purchaseEntries,
        totalBalances: money.totalBalances,
        moneyLostCents: f.creditedCents - f.purchasedCents - money.totalBalances,
      });
    },
  );
});
