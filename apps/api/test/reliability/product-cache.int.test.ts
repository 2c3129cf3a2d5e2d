// The product list's cache across processes: two API server processes on one PostgreSQL database, each
// answering the list from its own memory; an administrator edits a product through the other one, and
// the first shows the edit within 1 s — through the products table's trigger, NOTIFY and the first
// process's LISTEN session. PostgreSQL only: PGlite is one process's embedded database.
import { randomUUID } from "node:crypto";
import { createEmptyPostgresDb, testDatabaseUrl } from "@shop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send } from "../support/http.ts";
import { freePort } from "../support/processes.ts";
import { type ApiServer, SERVER_SECRETS, startApiServer } from "./api-server.ts";

const SKIP_REASON = "PostgreSQL only: it runs two API server processes on one database; set DATABASE_URL";

/** shop_cache_reads_total{cache="products",result} from a server's /metrics. */
async function cacheHits(metricsPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith('shop_cache_reads_total{cache="products",result="hit"}'));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

describe.skipIf(!testDatabaseUrl)(
  `the product list cache across two processes${testDatabaseUrl ? "" : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    let drop: (() => Promise<void>) | undefined;
    let a: ApiServer;
    let b: ApiServer;
    let aMetrics: number;
    let token: string;

    beforeAll(async () => {
      const empty = await createEmptyPostgresDb(testDatabaseUrl!);
      drop = empty.drop;
      // One migrates first, so the second finds the schema (concurrent starts have their own suite).
      aMetrics = await freePort();
      a = await startApiServer({ name: "cache-a", databaseUrl: empty.url, env: { METRICS_PORT: String(aMetrics) } });
      b = await startApiServer({ name: "cache-b", databaseUrl: empty.url });
      const login = await send(b.base, "POST", "/auth", {
        json: { login: SERVER_SECRETS.ADMIN_LOGIN, password: SERVER_SECRETS.ADMIN_PASSWORD },
      });
      expect(login.status, login.text).toBe(200);
      token = login.body.accessToken;
    }, 180_000);

    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await drop?.();
    });

    it("an edit made through one process is in the other's cached list within 1 s", async () => {
      const auth = { Authorization: `Bearer ${token}` };
      const t = `twoproc${randomUUID().slice(0, 8)}`;
      const created = await send(b.base, "POST", "/products", {
        headers: auth,
        json: { title: `Lantern ${t}`, description: "cached", price: "20.00" },
      });
      expect(created.status, created.text).toBe(201);
      const path = `/products?search=${t}`;
      const priceOnA = async () => {
        const res = await send(a.base, "GET", path, { headers: auth });
        expect(res.status, res.text).toBe(200);
        return res.body.items[0]?.price as string | undefined;
      };

      // A answers the page from its cache (its listener connects on first use).
      await expect
        .poll(
          async () => {
            const before = await cacheHits(aMetrics);
            expect(await priceOnA()).toBe("20.00");
            return (await cacheHits(aMetrics)) - before;
          },
          { timeout: 10_000, interval: 50 },
        )
        .toBe(1);

      const edited = await send(b.base, "PUT", `/products/${created.body.id}`, {
        headers: auth,
        json: { price: "21.50" },
      });
      expect(edited.status, edited.text).toBe(200);
      const editedAt = performance.now();
      let seenAfterMs = Number.POSITIVE_INFINITY;
      while (performance.now() - editedAt < 5_000) {
        if ((await priceOnA()) === "21.50") {
          seenAfterMs = performance.now() - editedAt;
          break;
        }
      }
      console.log(`[product-cache] the edit reached the other process's list after ${seenAfterMs.toFixed(1)} ms`);
      expect(seenAfterMs, "milliseconds until process A's list showed B's edit").toBeLessThan(1_000);

      // And A caches again after the invalidation.
      const before = await cacheHits(aMetrics);
      await priceOnA();
      await priceOnA();
      expect((await cacheHits(aMetrics)) - before).toBeGreaterThanOrEqual(1);
    });
  },
);
