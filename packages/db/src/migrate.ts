// Applies the committed migrations, recording them in `_prisma_migrations` exactly as Prisma Migrate
// does (same table, sha256 checksums), so `prisma migrate deploy` — where Prisma's native engine is
// available — finds nothing pending on a database migrated here.
//
// Unlike Prisma, each migration runs in a transaction together with its record: it applies wholly or
// not at all. (So a migration must not use statements that refuse transactions, such as
// CREATE INDEX CONCURRENTLY.) On PostgreSQL, concurrent migrators are serialised by the advisory lock
// Prisma Migrate itself takes, so several instances may start at once.
import { randomUUID } from "node:crypto";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import type pg from "pg";
import { type Migration, readMigrations } from "./migrations-dir.ts";

/** The key Prisma Migrate uses for pg_advisory_lock. */
export const MIGRATION_LOCK_KEY = 72707369;

interface SqlSession {
  query<R>(text: string, params?: unknown[]): Promise<R[]>;
  /** Runs a script of several statements (no parameters). */
  exec(text: string): Promise<void>;
}

interface MigrationHost {
  session: SqlSession;
  withLock<T>(fn: () => Promise<T>): Promise<T>;
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
}

export interface MigrateResult {
  applied: string[];
  warnings: string[];
}

const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

async function run(host: MigrationHost, migrations: Migration[]): Promise<MigrateResult> {
  return host.withLock(async () => {
    await host.session.exec(CREATE_TABLE);
    const rows = await host.session.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
    );
    const live = rows.filter((r) => r.rolled_back_at === null);
    const failed = live.filter((r) => r.finished_at === null);
    if (failed.length > 0) {
      throw new Error(
        `migration ${failed.map((r) => r.migration_name).join(", ")} failed earlier and is recorded as unfinished; ` +
          `resolve it (prisma migrate resolve) before starting again`,
      );
    }
    const warnings: string[] = [];
    const applied = new Map(live.map((r) => [r.migration_name, r]));
    const known = new Set(migrations.map((m) => m.name));
    for (const m of migrations) {
      const row = applied.get(m.name);
      if (row && row.checksum !== m.checksum) warnings.push(`migration ${m.name} was edited after it was applied`);
    }
    for (const name of applied.keys()) {
      if (!known.has(name))
        warnings.push(`migration ${name} is applied in the database but missing from the repository`);
    }

    const done: string[] = [];
    for (const m of migrations) {
      if (applied.has(m.name)) continue;
      await host.transaction(async (tx) => {
        await tx.exec(m.sql);
        await tx.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
      });
      done.push(m.name);
    }
    return { applied: done, warnings };
  });
}

function pgSession(client: pg.ClientBase): SqlSession {
  return {
    query: async <R>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as R[],
    exec: async (text: string) => {
      await client.query(text);
    },
  };
}

/** Migrates a PostgreSQL database through one dedicated connection. */
export async function migratePostgres(client: pg.ClientBase, migrations = readMigrations()): Promise<MigrateResult> {
  const session = pgSession(client);
  return run(
    {
      session,
      async withLock(fn) {
        await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
        try {
          return await fn();
        } finally {
          await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
        }
      },
      async transaction(fn) {
        await client.query("BEGIN");
        try {
          const result = await fn(session);
          await client.query("COMMIT");
          return result;
        } catch (error) {
          await client.query("ROLLBACK");
          throw error;
        }
      },
    },
    migrations,
  );
}

function pgliteSession(db: PGlite | Transaction): SqlSession {
  return {
    query: async <R>(text: string, params?: unknown[]) => (await db.query<R>(text, params)).rows,
    exec: async (text: string) => {
      await db.exec(text);
    },
  };
}

/** Migrates an embedded PGlite database (one connection, one process: no lock needed). */
export async function migratePglite(db: PGlite, migrations = readMigrations()): Promise<MigrateResult> {
  return run(
    {
      session: pgliteSession(db),
      withLock: (fn) => fn(),
      transaction: (fn) => db.transaction((tx) => fn(pgliteSession(tx))),
    },
    migrations,
  );
}
