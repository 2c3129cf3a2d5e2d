// Migrating is safe to repeat: every deploy runs it, and a migrated database must come out untouched.
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { type MigrateResult, migratePglite, migratePostgres } from "../src/migrate.ts";
import { readMigrations } from "../src/migrations-dir.ts";
import { pgliteExtensions } from "../src/pglite-extensions.ts";
import { createEmptyPostgresDb, testDatabaseUrl } from "../src/testing.ts";

interface EmptyDb {
  migrate(): Promise<MigrateResult>;
  query<R>(sql: string): Promise<R[]>;
  close(): Promise<void>;
}

/** A fresh, unmigrated database on the engine under test. */
async function openEmptyDb(): Promise<EmptyDb> {
  if (!testDatabaseUrl) {
    const pglite = await PGlite.create("memory://", { extensions: pgliteExtensions });
    return {
      migrate: () => migratePglite(pglite),
      query: async <R>(sql: string) => (await pglite.query<R>(sql)).rows,
      close: () => pglite.close(),
    };
  }
  const empty = await createEmptyPostgresDb(testDatabaseUrl);
  const client = new pg.Client({ connectionString: empty.url });
  await client.connect();
  return {
    migrate: () => migratePostgres(client),
    query: async <R>(sql: string) => (await client.query(sql)).rows as R[],
    close: async () => {
      await client.end();
      await empty.drop();
    },
  };
}

describe(`migrating twice (${testDatabaseUrl ? "PostgreSQL" : "PGlite"})`, () => {
  it("applies nothing the second time and keeps one record per migration", async () => {
    const names = readMigrations().map((m) => m.name);
    const db = await openEmptyDb();
    try {
      const records = () =>
        db.query<{ id: string; migration_name: string; checksum: string; finished_at: Date }>(
          `SELECT id, migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
        );

      expect(await db.migrate()).toEqual({ applied: names, warnings: [] });
      const afterFirst = await records();
      expect(afterFirst.map((r) => r.migration_name)).toEqual(names);

      expect(await db.migrate()).toEqual({ applied: [], warnings: [] });
      expect(await records()).toEqual(afterFirst);
    } finally {
      await db.close();
    }
  });
});
