// Test databases: every test file gets a fresh, migrated database of its own.
//
// - PostgreSQL when DATABASE_URL is set (any database on the server; the test creates
//   `shop_test_<random>` beside it and drops it afterwards).
// - Otherwise an in-memory PGlite restored from a migrated template. The template is built once per
//   set of migrations and cached in the OS temp directory (initdb takes seconds, a restore about one).
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { type CreateDbOptions, createDb, type Db } from "./index.ts";
import { migratePglite } from "./migrate.ts";
import { pgliteExtensions } from "./pglite-extensions.ts";
import { readMigrations } from "./migrations-dir.ts";

export interface TestDb extends Db {
  /** PostgreSQL: the connection string of this test's own database (for a second process). */
  url: string | undefined;
}

/** The PostgreSQL server URL tests run against, or undefined for PGlite. */
// eslint-disable-next-line no-restricted-properties -- the test harness reads the runner's environment
export const testDatabaseUrl: string | undefined = process.env.DATABASE_URL || undefined;

/**
 * Through a transaction pooler (CI's PgBouncer pass): DATABASE_URL is the pooler, DATABASE_DIRECT_URL the
 * same server directly (migrations take a session lock), and DATABASE_PREPARED_STATEMENTS=false.
 */
// eslint-disable-next-line no-restricted-properties -- the test harness reads the runner's environment
export const testDirectUrl: string | undefined = (testDatabaseUrl && process.env.DATABASE_DIRECT_URL) || undefined;
// eslint-disable-next-line no-restricted-properties -- the test harness reads the runner's environment
export const testPreparedStatements = !/^(false|0|no)$/i.test(process.env.DATABASE_PREPARED_STATEMENTS?.trim() ?? "");

/** The options createDb needs for a database on the test server (pooler settings included). */
export function testDbOptions(url: string): Pick<CreateDbOptions, "databaseUrl" | "directUrl" | "preparedStatements"> {
  const name = new URL(url).pathname.slice(1);
  return {
    databaseUrl: url,
    directUrl: testDirectUrl ? withDatabase(testDirectUrl, name) : undefined,
    preparedStatements: testPreparedStatements,
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function createTestDb(options: Pick<CreateDbOptions, "poolSize" | "migrate"> = {}): Promise<TestDb> {
  if (testDatabaseUrl) return createPostgresTestDb(testDatabaseUrl, options);
  const db = await createDb({ dataDir: "memory://", loadDataDir: await pgliteTemplate(), ...options, migrate: false });
  return { ...db, url: undefined };
}

/**
 * Creates an empty database `<prefix>_<random>` on the server (no migrations) and returns its name, URL and
 * a drop function (idempotent; drops even with connections open).
 */
export async function createEmptyPostgresDb(
  serverUrl: string,
  prefix = "shop_test",
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  let dropped = false;
  return {
    name,
    url: withDatabase(serverUrl, name),
    async drop() {
      if (dropped) return;
      dropped = true;
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

async function createPostgresTestDb(serverUrl: string, options: Pick<CreateDbOptions, "poolSize" | "migrate">) {
  const empty = await createEmptyPostgresDb(serverUrl);
  const db = await createDb({ ...testDbOptions(empty.url), ...options });
  return {
    ...db,
    url: empty.url,
    async close() {
      await db.close();
      await empty.drop();
    },
  };
}

/** A dump of a freshly migrated PGlite, cached per set of migrations. */
export async function pgliteTemplate(): Promise<Blob> {
  const migrations = readMigrations();
  const key = migrations.map((m) => m.checksum.slice(0, 8)).join("");
  const path = join(tmpdir(), `shop-pglite-template-${key}.tar`);
  if (!existsSync(path)) {
    const pglite = await PGlite.create("memory://", { extensions: pgliteExtensions });
    await migratePglite(pglite, migrations);
    const dump = await pglite.dumpDataDir("none");
    await pglite.close();
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, path); // atomic: parallel workers never read a half-written file
  }
  return new Blob([readFileSync(path)]);
}
