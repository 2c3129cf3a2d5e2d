// The hot path's statements (sql.ts) behave the same on both engines: the same JavaScript types come
// back, errors carry the SQLSTATE, a statement is prepared once and reused, and on PGlite's single
// connection a statement never runs inside someone else's open transaction.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statement } from "../src/index.ts";
import { createTestDb, type TestDb, testDatabaseUrl } from "../src/testing.ts";

const productById = statement<{
  id: string;
  title: string;
  price: string;
  deleted: boolean;
  created_at: Date;
  deleted_at: Date | null;
  n: number;
}>(
  "test.product-by-id",
  `SELECT id::text, title, price::text, deleted_at IS NOT NULL AS deleted, created_at, deleted_at, 7::int4 AS n
     FROM products WHERE id = $1::uuid`,
);
const insertProduct = statement<{ id: string }>(
  "test.insert-product",
  `INSERT INTO products (title, price) VALUES ($1::text, $2::numeric) RETURNING id::text`,
);

describe("hot-path statements (sql.query)", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("returns text, booleans, int4, Dates and NULL alike on both engines, exact for money", async () => {
    const [inserted] = await db.sql.query(insertProduct, ["Lamp", "12345678901234567.89"]);
    const rows = await db.sql.query(productById, [inserted!.id]);
    expect(rows).toEqual([
      {
        id: inserted!.id,
        title: "Lamp",
        price: "12345678901234567.89",
        deleted: false,
        created_at: expect.any(Date),
        deleted_at: null,
        n: 7,
      },
    ]);
    expect(Math.abs(rows[0]!.created_at.getTime() - Date.now())).toBeLessThan(60_000);
    expect(await db.sql.query(productById, ["00000000-0000-4000-8000-000000000000"])).toEqual([]);
  });

  it("reuses a prepared statement across many calls and connections", async () => {
    const [p] = await db.sql.query(insertProduct, ["Chair", "3.50"]);
    const results = await Promise.all(Array.from({ length: 30 }, () => db.sql.query(productById, [p!.id])));
    expect(new Set(results.map((r) => r[0]?.price))).toEqual(new Set(["3.50"]));
  });

  it.skipIf(!testDatabaseUrl)(
    "plans a `custom` statement for its values at every run: never prepared (PostgreSQL)",
    async () => {
      const custom = statement<{ n: number }>("test.custom", `SELECT $1::int4 + 1 AS n`, { custom: true });
      const prepared = statement<{ n: number }>("test.prepared", `SELECT $1::int4 + 2 AS n`);
      // One connection, so that both runs land where pg_prepared_statements is read.
      await db.sql.transaction(async (tx) => {
        for (let i = 0; i < 7; i++) {
          expect(await tx.query(custom, [i])).toEqual([{ n: i + 1 }]);
          expect(await tx.query(prepared, [i])).toEqual([{ n: i + 2 }]);
        }
        const names = await tx.query(
          statement<{ name: string }>("test.prepared-names", `SELECT name FROM pg_prepared_statements`),
          [],
        );
        expect(names.map((r) => r.name)).toContain("test.prepared");
        expect(names.map((r) => r.name)).not.toContain("test.custom");
      });
    },
  );

  it("fails with the database's SQLSTATE and writes nothing", async () => {
    const before = await db.prisma.product.count();
    await expect(db.sql.query(insertProduct, ["Free", "0.00"])).rejects.toMatchObject({ code: "23514" });
    await expect(db.sql.query(insertProduct, ["Bad", "not a number"])).rejects.toMatchObject({ code: "22P02" });
    expect(await db.prisma.product.count()).toBe(before);
  });

  it("never runs inside another caller's open transaction", async () => {
    const [p] = await db.sql.query(insertProduct, ["Original", "1.00"]);
    let read: Promise<unknown> | undefined;
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.product.update({ where: { id: p!.id }, data: { title: "Uncommitted" } });
        read = db.sql.query(productById, [p!.id]); // not awaited: PGlite would wait for this transaction
        // Time for a read wrongly sent into this open transaction to run and see "Uncommitted".
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await read).toEqual([expect.objectContaining({ title: "Original" })]);
  });

  it("refuses a second, different statement under a name already taken", () => {
    expect(() => statement("test.product-by-id", "SELECT 1")).toThrow(/defined twice/);
    expect(statement("test.insert-product", insertProduct.text)).toEqual(insertProduct);
  });
});
