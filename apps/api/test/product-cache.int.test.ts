// The product list's per-process cache (repositories/change-cache.ts): a repeated page is answered from
// memory, and no answer is stale once a write has committed — a write of this process at once, a write
// from anywhere else (here: plain SQL, as psql or another host would) within 1 s through the trigger's
// NOTIFY, and after the listening session dies the cache serves nothing it might have missed.
// The two-process proof is in reliability/product-cache.int.test.ts.
import { randomUUID } from "node:crypto";
import { testDatabaseUrl } from "@shop/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { cacheReads } from "../src/metrics/metrics.ts";
import { type TestUser, bearer, createProduct, createUser, useHarness } from "./harness.ts";

async function reads() {
  const counts = { hit: 0, miss: 0, bypass: 0 };
  for (const v of (await cacheReads.get()).values) {
    if (v.labels.cache === "products") counts[v.labels.result as keyof typeof counts] += v.value;
  }
  return counts;
}

describe("the product list cache", () => {
  const h = useHarness();
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    admin = await createUser(h, { isAdmin: true });
    user = await createUser(h);
  });

  const list = async (search: string) => {
    const res = await h.http.get("/products").query({ search }).set(bearer(user));
    expect(res.status, res.text).toBe(200);
    return res.body as { items: { id: string; price: string; title: string }[]; total: number };
  };

  /** Lists until the answer came from the cache (the listener connects on first use). */
  async function untilCached(search: string) {
    await expect
      .poll(
        async () => {
          const before = await reads();
          await list(search);
          return (await reads()).hit - before.hit;
        },
        { timeout: 10_000, interval: 50 },
      )
      .toBe(1);
  }

  it("answers a repeated page from memory, and a new page from the database once", async () => {
    const t = `cache${randomUUID().slice(0, 8)}`;
    await createProduct(h, admin, "4.00", `Kettle ${t}`);
    await untilCached(t);
    const before = await reads();
    const again = await list(t);
    expect(again.items.map((p) => p.title)).toEqual([`Kettle ${t}`]);
    const other = await list(`${t}-none`);
    expect(other).toMatchObject({ items: [], total: 0 });
    const after = await reads();
    expect({ hit: after.hit - before.hit, miss: after.miss - before.miss }).toEqual({ hit: 1, miss: 1 });
  });

  it("shows this process's own writes in its very next answer: create, edit, delete, restore", async () => {
    const t = `own${randomUUID().slice(0, 8)}`;
    const product = await createProduct(h, admin, "7.00", `Mug ${t}`);
    await untilCached(t);

    const edited = await h.http.put(`/products/${product.id}`).set(bearer(admin)).send({ price: "7.50" });
    expect(edited.status, edited.text).toBe(200);
    expect((await list(t)).items.map((p) => p.price)).toEqual(["7.50"]);

    await createProduct(h, admin, "1.00", `Spoon ${t}`);
    expect((await list(t)).total).toBe(2);

    expect((await h.http.delete(`/products/${product.id}`).set(bearer(admin))).status).toBe(200);
    expect((await list(t)).items.map((p) => p.title)).toEqual([`Spoon ${t}`]);

    expect((await h.http.post(`/products/${product.id}/restore`).set(bearer(admin)).send({})).status).toBe(200);
    expect((await list(t)).total).toBe(2);
  });

  it("hears a write made outside the API (plain SQL) within 1 s", async () => {
    const t = `sql${randomUUID().slice(0, 8)}`;
    const product = await createProduct(h, admin, "3.00", `Bowl ${t}`);
    await untilCached(t);
    expect((await list(t)).items[0]!.price).toBe("3.00");

    const wroteAt = performance.now();
    await h.db.prisma.$executeRaw`UPDATE products SET price = 3.25 WHERE id = ${product.id}::uuid`;
    let seenAfterMs = Number.POSITIVE_INFINITY;
    while (performance.now() - wroteAt < 5_000) {
      if ((await list(t)).items[0]!.price === "3.25") {
        seenAfterMs = performance.now() - wroteAt;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(seenAfterMs, "milliseconds until the list showed the SQL write").toBeLessThan(1_000);
  });

  it.skipIf(!testDatabaseUrl)(
    "PostgreSQL: when the listening session dies, no missed write is served; caching resumes once it is back",
    async () => {
      const t = `lost${randomUUID().slice(0, 8)}`;
      const product = await createProduct(h, admin, "5.00", `Plate ${t}`);
      await untilCached(t);

      // Kill the listener's session, then change the product while it may be deaf.
      const killed = await h.db.prisma.$queryRaw<{ killed: boolean }[]>`
        SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
         WHERE application_name = 'shop-listener' AND datname = current_database()`;
      expect(killed.length).toBeGreaterThan(0);
      await h.db.prisma.$executeRaw`UPDATE products SET price = 5.75 WHERE id = ${product.id}::uuid`;

      // Every answer from now on is either the new price or, in the instant before the client has seen
      // its session end, the cached old one — never the old one once the loss is known.
      await expect.poll(async () => (await list(t)).items[0]!.price, { timeout: 2_000, interval: 10 }).toBe("5.75");
      // It reconnects by itself and caches again.
      await untilCached(t);
      expect((await list(t)).items[0]!.price).toBe("5.75");
    },
  );
});
