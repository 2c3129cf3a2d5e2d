// One way to get a database: PostgreSQL when a URL is given, otherwise an embedded PGlite
// (PostgreSQL compiled to WebAssembly) in a data directory. Both run the same migrations and the
// same statements (db.sql) and the same Prisma schema, so every query behaves the same on both.
// The engine that is not used is never loaded: PGlite's JavaScript (and its adapter) stays out of a
// PostgreSQL server's memory, and pg out of an embedded one's start.
import type { PGlite } from "@electric-sql/pglite";
import { PrismaClient } from "./generated/prisma/client.ts";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { defaultDataDir, LOCK_FILE, lockDataDir, pgliteTemplatePath } from "./data-dir.ts";
import { type ChangeHandler, type Listener, pgListener, pgliteListener } from "./listen.ts";
import { type MigrateResult, migratePglite, migratePostgres } from "./migrate.ts";
import { pgliteSqlClient, pgSqlClient, type SqlClient } from "./sql.ts";

export { Prisma, PrismaClient, LedgerKind } from "./generated/prisma/client.ts";
export type { User, Account, Product, LedgerEntry } from "./generated/prisma/client.ts";
export { defaultDataDir, pgliteTemplatePath } from "./data-dir.ts";
export { migratePglite, migratePostgres, type MigrateResult } from "./migrate.ts";
export { readMigrations } from "./migrations-dir.ts";
export { pgliteExtensions } from "./pglite-extensions.ts";
export type { ChangeEvent, ChangeHandler } from "./listen.ts";
export { statement, type SqlClient, type SqlTransaction, type SqlValue, type Statement } from "./sql.ts";

export type DbEngine = "postgres" | "pglite";

export interface Db {
  prisma: PrismaClient;
  /** The API's statements and transactions, run by the driver without Prisma Client (see sql.ts). */
  sql: SqlClient;
  engine: DbEngine;
  /** Migrations applied while opening (empty when `migrate: false` or nothing was pending). */
  migration: MigrateResult;
  /** PostgreSQL: the pool's connections and waiting queries now (for metrics); PGlite has no pool. */
  poolStats?(): { total: number; idle: number; waiting: number; max: number };
  /**
   * LISTEN on a channel (see listen.ts): the handler hears `ready`, `notify` and `lost`. PostgreSQL
   * opens one listening session per Db on first use, on the direct URL when one is given.
   */
  listen(channel: string, handler: ChangeHandler): Promise<() => void>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** PostgreSQL connection string; when absent, the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory (default `<repo>/.data`); `memory://` keeps it in memory. */
  dataDir?: string | undefined;
  /** PGlite: start from this dump (`PGlite.dumpDataDir()`), e.g. a migrated template in tests. */
  loadDataDir?: Blob | File | undefined;
  /**
   * PGlite: the dump a new data directory is unpacked from (default pgliteTemplatePath, when that
   * file exists); `false`: always initialise from scratch.
   */
  template?: string | false;
  /** Apply pending migrations while opening (default true). */
  migrate?: boolean;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /**
   * PostgreSQL: a direct (session) connection string for migrations, whose advisory lock needs one
   * session; `databaseUrl` may then point at a transaction pooler such as PgBouncer.
   */
  directUrl?: string | undefined;
  /** PostgreSQL: run the API's statements as named prepared statements (default true). */
  preparedStatements?: boolean;
  /**
   * PostgreSQL: settings for every session of the pool, sent at connection (the `options` startup
   * parameter, `-c name=value`), e.g. `{ max_parallel_workers_per_gather: "0" }`. A transaction pooler
   * may ignore them (PgBouncer with `options` in ignore_startup_parameters): they are a preference.
   */
  sessionSettings?: Record<string, string>;
  log?: (message: string) => void;
}

/** The listening session's application_name in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = "shop-listener";

const noMigration: MigrateResult = { applied: [], warnings: [] };

export async function createDb(options: CreateDbOptions = {}): Promise<Db> {
  const log = options.log ?? (() => {});
  return options.databaseUrl ? openPostgres(options.databaseUrl, options, log) : openPglite(options, log);
}

async function openPostgres(url: string, options: CreateDbOptions, log: (m: string) => void): Promise<Db> {
  const [{ default: pg }, { PrismaPg }] = await Promise.all([import("pg"), import("@prisma/adapter-pg")]);
  let migration = noMigration;
  if (options.migrate !== false) {
    const client = new pg.Client({ connectionString: options.directUrl ?? url });
    await client.connect();
    try {
      migration = await migratePostgres(client);
    } finally {
      await client.end();
    }
    report(migration, log);
  }
  const settings = Object.entries(options.sessionSettings ?? {});
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(settings.length > 0 ? { options: settings.map(([k, v]) => `-c ${k}=${v}`).join(" ") } : {}),
  });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on("error", (error) => log(`idle PostgreSQL connection failed: ${error.message}`));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  let listener: Listener | undefined;
  return {
    prisma,
    sql: pgSqlClient(pool, { prepared: options.preparedStatements !== false }),
    engine: "postgres",
    migration,
    listen: (channel, handler) => {
      listener ??= pgListener(
        () =>
          new pg.Client({
            connectionString: options.directUrl ?? url,
            keepAlive: true,
            application_name: LISTENER_APPLICATION_NAME,
          }),
        log,
      );
      return listener.listen(channel, handler);
    },
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: pool.options.max ?? 10,
    }),
    ping: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
    close: async () => {
      await listener?.close();
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPglite(options: CreateDbOptions, log: (m: string) => void): Promise<Db> {
  const dataDir = options.dataDir ?? defaultDataDir;
  const inMemory = dataDir.startsWith("memory://");
  const unlock = inMemory ? () => {} : lockDataDir(dataDir);
  const [{ PGlite }, { PrismaPGlite }, { pgliteExtensions: extensions }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("pglite-prisma-adapter"),
    import("./pglite-extensions.ts"),
  ]);
  // A new data directory starts from the migrated template when there is one (scripts/template.mjs).
  const templatePath = options.template ?? pgliteTemplatePath;
  const template =
    templatePath !== false &&
    !options.loadDataDir &&
    !inMemory &&
    !existsSync(join(dataDir, "PG_VERSION")) &&
    existsSync(templatePath);
  let pglite: PGlite;
  try {
    const loadDataDir = template ? new Blob([readFileSync(templatePath)]) : options.loadDataDir;
    pglite = await PGlite.create(dataDir, loadDataDir ? { loadDataDir, extensions } : { extensions });
    if (template) log(`embedded database created in ${dataDir} from the migrated template`);
  } catch (error) {
    if (!template) {
      unlock();
      throw error;
    }
    // A template this PGlite cannot read: empty the directory again (only the lock stays) and start
    // from scratch, as without a template.
    log(`the embedded database template could not be loaded (${(error as Error).message}): creating it from scratch`);
    for (const entry of readdirSync(dataDir)) {
      if (entry !== LOCK_FILE) rmSync(join(dataDir, entry), { recursive: true, force: true });
    }
    try {
      pglite = await PGlite.create(dataDir, { extensions });
    } catch (again) {
      unlock();
      throw again;
    }
  }
  let migration = noMigration;
  if (options.migrate !== false) {
    migration = await migratePglite(pglite);
    report(migration, log);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const listener = pgliteListener(pglite);
  return {
    prisma,
    sql: pgliteSqlClient(pglite),
    engine: "pglite",
    migration,
    listen: (channel, handler) => listener.listen(channel, handler),
    ping: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
    close: async () => {
      await listener.close();
      await prisma.$disconnect();
      await pglite.close();
      unlock();
    },
  };
}

function report(result: MigrateResult, log: (m: string) => void) {
  for (const name of result.applied) log(`applied migration ${name}`);
  for (const warning of result.warnings) log(`migration warning: ${warning}`);
}
