// sql.transaction(fn) on both engines: what fn wrote commits together or not at all, a nested call
// joins the transaction, and on PostgreSQL two transactions run side by side on their own connections
// (a row lock taken by one holds the other until its COMMIT).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statement } from "../src/index.ts";
import { createTestDb, type TestDb, testDatabaseUrl } from "../src/testing.ts";

const insertProduct = statement<{ id: string }>(
  "test.tx.insert-product",
  `INSERT INTO products (title, price) VALUES ($1::text, $2::numeric) RETURNING id::text`,
);
const titles = statement<{ title: string }>(
  "test.tx.titles",
  `SELECT title FROM products WHERE title LIKE $1::text ORDER BY title`,
);
const lockAndRename = statement<{ title: string }>(
  "test.tx.lock-and-rename",
  `UPDATE products SET title = title || $2::text WHERE id = $1::uuid RETURNING title`,
);
const sleep = statement<{ done: boolean }>("test.tx.sleep", `SELECT pg_sleep($1::float8) IS NOT NULL AS done`);
const backend = statement<{ pid: number }>("test.tx.backend", `SELECT pg_backend_pid()::int4 AS pid`);

const onPostgres = testDatabaseUrl !== undefined;

describe("sql.transaction", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db?.close();
  });
  const titled = async (prefix: string) => (await db.sql.query(titles, [`${prefix}%`])).map((r) => r.title);

  it("commits every statement of fn and returns its result", async () => {
    const result = await db.sql.transaction(async (tx) => {
      await tx.query(insertProduct, ["commit-a", "1.00"]);
      await tx.query(insertProduct, ["commit-b", "2.00"]);
      return "done";
    });
    expect(result).toBe("done");
    expect(await titled("commit-")).toEqual(["commit-a", "commit-b"]);
  });

  it("rolls back everything when fn throws, and rethrows its error", async () => {
    const failure = new Error("boom");
    await expect(
      db.sql.transaction(async (tx) => {
        await tx.query(insertProduct, ["throw-a", "1.00"]);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await titled("throw-")).toEqual([]);
  });

  it("a failing statement rolls back the statements before it", async () => {
    await expect(
      db.sql.transaction(async (tx) => {
        await tx.query(insertProduct, ["failing-a", "1.00"]);
        await tx.query(insertProduct, ["failing-b", "0.00"]); // CHECK (price > 0)
      }),
    ).rejects.toMatchObject({ code: "23514" });
    expect(await titled("failing-")).toEqual([]);
    // The connection is usable afterwards (returned to the pool clean, or PGlite's lock released).
    expect(await db.sql.query(insertProduct, ["failing-after", "1.00"])).toHaveLength(1);
  });

  it("a nested transaction() runs in the same transaction: an outer throw rolls back the inner writes", async () => {
    await expect(
      db.sql.transaction(async (tx) => {
        await tx.transaction(async (inner) => {
          expect(inner).toBe(tx);
          await inner.query(insertProduct, ["nested-a", "1.00"]);
        });
        throw new Error("after the inner call");
      }),
    ).rejects.toThrow("after the inner call");
    expect(await titled("nested-")).toEqual([]);
    await db.sql.transaction((tx) => tx.transaction((inner) => inner.query(insertProduct, ["nested-b", "1.00"])));
    expect(await titled("nested-")).toEqual(["nested-b"]);
  });

  it("a transaction's client refuses statements once its transaction is over", async () => {
    let leaked: Parameters<Parameters<typeof db.sql.transaction>[0]>[0] | undefined;
    await db.sql.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.query(insertProduct, ["leaked", "1.00"])).rejects.toThrow(/after its transaction ended/);
    expect(await titled("leaked")).toEqual([]);
  });

  it("an uncommitted write is invisible outside its transaction", async () => {
    let seenOutside: string[] | undefined;
    await db.sql.transaction(async (tx) => {
      await tx.query(insertProduct, ["invisible-a", "1.00"]);
      // PGlite: the outer read waits for the COMMIT (one connection); PostgreSQL: it runs beside it.
      const outside = titled("invisible-").then((t) => (seenOutside = t));
      if (db.engine === "postgres") {
        await outside;
        expect(seenOutside).toEqual([]);
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (db.engine === "pglite") expect(seenOutside).toEqual(["invisible-a"]);
  });

  it.runIf(onPostgres)(
    "PostgreSQL: two transactions run at once, each on its own connection, and a row lock orders them",
    async () => {
      const [product] = await db.sql.query(insertProduct, ["race", "1.00"]);
      const order: string[] = [];
      const first = db.sql.transaction(async (tx) => {
        const [{ pid } = { pid: 0 }] = await tx.query(backend, []);
        await tx.query(lockAndRename, [product!.id, "-first"]);
        order.push("first locked");
        await tx.query(sleep, ["0.3"]);
        order.push("first commits");
        return pid;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = db.sql.transaction(async (tx) => {
        const [{ pid } = { pid: 0 }] = await tx.query(backend, []);
        order.push("second started");
        const [row] = await tx.query(lockAndRename, [product!.id, "-second"]); // waits for first's COMMIT
        order.push("second locked");
        return { pid, title: row!.title };
      });
      const [pidA, b] = await Promise.all([first, second]);
      expect(pidA).not.toBe(b.pid);
      expect(order).toEqual(["first locked", "second started", "first commits", "second locked"]);
      expect(b.title).toBe("race-first-second");
    },
  );

  it.runIf(onPostgres)(
    "PostgreSQL: 20 concurrent transactions, half failing, keep exactly the others' writes",
    async () => {
      await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          db.sql.transaction(async (tx) => {
            await tx.query(insertProduct, [`many-${String(i).padStart(2, "0")}`, "1.00"]);
            await tx.query(sleep, ["0.02"]);
            if (i % 2 === 1) throw new Error("odd");
          }),
        ),
      );
      expect(await titled("many-")).toEqual(
        Array.from({ length: 10 }, (_, i) => `many-${String(i * 2).padStart(2, "0")}`),
      );
      // Every connection went back to the pool.
      expect(db.poolStats!().total - db.poolStats!().idle).toBe(0);
    },
  );
  it.runIf(onPostgres)(
    "PostgreSQL: a connection lost mid-transaction is destroyed, nothing commits, the pool goes on",
    async () => {
      const terminate = statement<{ done: boolean }>(
        "test.tx.terminate",
        `SELECT pg_terminate_backend($1::int4) AS done`,
      );
      await expect(
        db.sql.transaction(async (tx) => {
          await tx.query(insertProduct, ["lost-a", "1.00"]);
          const [{ pid } = { pid: 0 }] = await tx.query(backend, []);
          await db.sql.query(terminate, [pid]); // another connection kills this one
          await tx.query(insertProduct, ["lost-b", "1.00"]);
        }),
      ).rejects.toThrow();
      expect(await titled("lost-")).toEqual([]);
      const stats = db.poolStats!();
      expect(stats.total - stats.idle).toBe(0);
      expect(await db.sql.transaction((tx) => tx.query(insertProduct, ["lost-after", "1.00"]))).toHaveLength(1);
    },
  );
});
