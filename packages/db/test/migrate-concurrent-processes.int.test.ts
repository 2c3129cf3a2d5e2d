// Several instances starting at once (e.g. replicas of a deploy) each run the migrator: the advisory
// lock must make them take turns, so the migration is applied and recorded exactly once.
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { MIGRATION_LOCK_KEY } from "../src/migrate.ts";
import { readMigrations } from "../src/migrations-dir.ts";
import { createEmptyPostgresDb, testDatabaseUrl } from "../src/testing.ts";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Runs `npx tsx src/cli.ts` (npm run migrate) against `databaseUrl` in its own OS process. */
function migrateInChildProcess(databaseUrl: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "src/cli.ts"], {
      cwd: packageDir,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** Polls until `n` sessions of this database are queued on the migration lock. */
async function waitForLockWaiters(client: pg.Client, n: number) {
  for (let i = 0; i < 300; i++) {
    const { rows } = await client.query<{ waiting: number }>(
      `SELECT count(*)::int AS waiting FROM pg_locks
       WHERE locktype = 'advisory' AND NOT granted AND objid = $1
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [MIGRATION_LOCK_KEY],
    );
    if (rows[0]!.waiting >= n) return;
    await sleep(100);
  }
  throw new Error(`fewer than ${n} migrators reached the migration lock within 30 s`);
}

describe.skipIf(!testDatabaseUrl)(
  "two migrator processes on one empty PostgreSQL database (PostgreSQL only: PGlite is single-process)",
  () => {
    it("both succeed and each migration is applied once", async () => {
      const empty = await createEmptyPostgresDb(testDatabaseUrl!);
      const client = new pg.Client({ connectionString: empty.url });
      await client.connect();
      try {
        // Hold the lock until both processes are queued on it, so that they truly start together.
        await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
        const runs = Promise.all([migrateInChildProcess(empty.url), migrateInChildProcess(empty.url)]);
        await waitForLockWaiters(client, 2);
        await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
        const results = await runs;

        expect(
          results.map((r) => r.code),
          results.map((r) => r.output).join("\n---\n"),
        ).toEqual([0, 0]);
        // One of them applied everything; the other waited its turn and found nothing pending.
        const summaries = results.map((r) => r.output.trim().split("\n").at(-1)).sort();
        expect(summaries).toEqual([
          `postgres: applied ${readMigrations().length} migration(s)`,
          "postgres: no pending migrations",
        ]);

        const { rows } = await client.query<{ migration_name: string; finished: boolean }>(
          `SELECT migration_name, finished_at IS NOT NULL AS finished FROM "_prisma_migrations" ORDER BY migration_name`,
        );
        expect(rows).toEqual(readMigrations().map((m) => ({ migration_name: m.name, finished: true })));
      } finally {
        await client.end();
        await empty.drop();
      }
    });
  },
);
