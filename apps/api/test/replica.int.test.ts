// Reads on a streaming replica (DATABASE_READ_URL): reports, listings and the CSV export read the replica
// and say how far behind it is (asOf), the money path and the user's own page stay on the primary. Needs a
// real replica of the test server: TEST_REPLICA_URL (CI starts one with pg_basebackup -R, .ci/run); skipped
// otherwise. Pauses the replica's replay to see the difference, so run it alone against its replica.
import { createDb } from "@shop/db";
import { testDatabaseUrl, withDatabase } from "@shop/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestUser, bearer, createProduct, createUser, credit, providerId, useHarness } from "./harness.ts";

const replicaUrl = process.env.TEST_REPLICA_URL || undefined;

async function one<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows[0]!;
  } finally {
    await c.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!testDatabaseUrl || !replicaUrl)(
  `reads on a streaming replica${replicaUrl ? "" : " (skipped: set TEST_REPLICA_URL to a replica of DATABASE_URL's server)"}`,
  () => {
    let primaryDbUrl = "";
    let replicaDbUrl = "";
    const h = useHarness({
      readDb: async (primary) => {
        primaryDbUrl = primary.url!;
        replicaDbUrl = withDatabase(replicaUrl!, new URL(primary.url!).pathname.slice(1));
        // The database was created on the primary a moment ago: it exists on the replica once replayed.
        for (let i = 0; ; i++) {
          try {
            await one(replicaDbUrl, "SELECT 1");
            break;
          } catch (error) {
            if (i > 300) throw error;
            await sleep(100);
          }
        }
        return createDb({ databaseUrl: replicaDbUrl, migrate: false, poolSize: 4 });
      },
    });
    let admin: TestUser;
    let alice: TestUser;
    let account: string;

    /** Waits until the replica has `what` of everything the primary wrote so far (received or replayed). */
    async function replica(what: "received" | "replayed") {
      const { lsn } = await one<{ lsn: string }>(primaryDbUrl, "SELECT pg_current_wal_lsn()::text AS lsn");
      const fn = what === "received" ? "pg_last_wal_receive_lsn()" : "pg_last_wal_replay_lsn()";
      for (let i = 0; i < 600; i++) {
        const { ok } = await one<{ ok: boolean }>(replicaDbUrl, `SELECT ${fn} >= $1::pg_lsn AS ok`, [lsn]);
        if (ok) return;
        await sleep(50);
      }
      throw new Error(`the replica has not ${what} ${lsn}`);
    }

    beforeAll(async () => {
      admin = await createUser(h, { isAdmin: true });
      alice = await createUser(h, { numericId: providerId() });
      account = (await credit(h, alice, providerId(), "50.00")).accountId;
      const product = await createProduct(h, admin, "5.00", "Replica lamp");
      const bought = await h.http
        .post("/products/buy")
        .set(bearer(alice))
        .send({ productId: product.id, accountId: account });
      expect(bought.status, bought.text).toBeLessThan(300);
      await replica("replayed");
    });

    afterAll(async () => {
      if (replicaDbUrl) await one(replicaDbUrl, "SELECT pg_wal_replay_resume()").catch(() => {});
    });

    it("the replica is what the reads use: a write not yet replayed is missing there, present on the primary", async () => {
      const before = await h.http.get("/transactions").query({ userId: alice.id }).set(bearer(admin));
      expect(before.status, before.text).toBe(200);
      expect(before.body.total).toBe(2);
      const stats = await h.http.get("/stats").set(bearer(admin));
      expect(stats.body.totals.credits).toBe("50.00");
      const rec = await h.http.get("/reconciliation").set(bearer(admin));
      expect(rec.body).toMatchObject({ balanced: true, walletsTotal: "45.00" });

      await one(replicaDbUrl, "SELECT pg_wal_replay_pause()");
      try {
        const writtenAt = Date.now();
        await sleep(20);
        await credit(h, alice, providerId(), "7.00");
        await replica("received");
        // The user's own page reads the primary: the credit is there at once.
        const me = await h.http.get("/users/me").set(bearer(alice));
        expect(me.body.accounts.map((a: { balance: string }) => a.balance).sort()).toEqual(["45.00", "7.00"]);
        // The operator's views read the replica, which has not replayed it, and say so.
        const listing = await h.http.get("/transactions").query({ userId: alice.id }).set(bearer(admin));
        expect(listing.body.total).toBe(2);
        const lagging = await h.http.get("/reconciliation").set(bearer(admin));
        expect(lagging.body.walletsTotal).toBe("45.00");
        expect(Date.parse(lagging.body.asOf)).toBeLessThan(writtenAt);
        const csv = await h.http.get("/transactions.csv").query({ userId: alice.id }).set(bearer(admin));
        expect(csv.text.trim().split("\n")).toHaveLength(3);
      } finally {
        await one(replicaDbUrl, "SELECT pg_wal_replay_resume()");
      }
      await replica("replayed");
      const after = await h.http.get("/transactions").query({ userId: alice.id }).set(bearer(admin));
      expect(after.body.total).toBe(3);
      const caughtUp = await h.http.get("/reconciliation").set(bearer(admin));
      expect(caughtUp.body).toMatchObject({ balanced: true, walletsTotal: "52.00" });
      expect(Math.abs(Date.parse(caughtUp.body.asOf) - Date.now())).toBeLessThan(30_000);
    });

    it("the money path stays on the primary while the replica is paused", async () => {
      await one(replicaDbUrl, "SELECT pg_wal_replay_pause()");
      try {
        const product = await createProduct(h, admin, "1.00", "Primary lamp");
        const bought = await h.http
          .post("/products/buy")
          .set(bearer(alice))
          .send({ productId: product.id, accountId: account });
        expect(bought.status, bought.text).toBeLessThan(300);
        expect(bought.body.account.balance).toBe("44.00");
      } finally {
        await one(replicaDbUrl, "SELECT pg_wal_replay_resume()");
      }
    });
  },
);
