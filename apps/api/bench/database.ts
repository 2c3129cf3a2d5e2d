// The benchmark's own database: created beside DATABASE_URL, migrated with createDb, seeded with
// bulk SQL, dropped at the end. Ids are deterministic so that pgbench scripts can compute them.
import { createDb } from "@shop/db";
import { createEmptyPostgresDb } from "@shop/db/testing";
import { pg } from "./pg.ts";

export type PgClient = InstanceType<typeof pg.Client>;

export const USERS = 1000;
export const PRODUCTS = 1000;
/** The account every "hot" purchase uses; the other scenarios use users 2..USERS. */
export const HOT_USER = 1;
export const PASSWORD = "bench-password-1";
/** Large enough that nothing is refused, small enough for the API's 12-digit money texts. */
export const INITIAL_BALANCE = "1000000000.00";

const pad12 = (i: number) => String(i).padStart(12, "0");
// Version-4 / RFC-variant shaped, so the API's z.uuid() accepts them; the last 12 digits are the index.
export const productId = (i: number) => `00000000-0000-4000-8000-${pad12(i)}`;
export const userId = (i: number) => `00000000-0000-4000-9000-${pad12(i)}`;
export const accountId = (i: number) => `00000000-0000-4000-a000-${pad12(i)}`;
/** The same ids as SQL expressions over an integer (pgbench variables). */
export const sqlProductId = (v: string) => `('00000000-0000-4000-8000-' || lpad(${v}::text, 12, '0'))::uuid`;
export const sqlUserId = (v: string) => `('00000000-0000-4000-9000-' || lpad(${v}::text, 12, '0'))::uuid`;
export const sqlAccountId = (v: string) => `('00000000-0000-4000-a000-' || lpad(${v}::text, 12, '0'))::uuid`;
/** users.numeric_id (the provider's user_id) and accounts.numeric_id (bill_id) of user i are both i. */
export const login = (i: number) => `bench${String(i).padStart(4, "0")}`;

export type BenchDatabase = Awaited<ReturnType<typeof createEmptyPostgresDb>>;

/** A fresh, empty `shop_bench_<random>` beside the server URL; `drop()` removes it. */
export function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  return createEmptyPostgresDb(serverUrl, "shop_bench");
}

/** Applies the migrations exactly as the server does at start. */
export async function migrate(url: string): Promise<string[]> {
  const db = await createDb({ databaseUrl: url, poolSize: 1 });
  try {
    return db.migration.applied;
  } finally {
    await db.close();
  }
}

/**
 * 1,000 products (prices 1.00..9.99), 1,000 active users sharing one bcrypt hash, each with one
 * account of INITIAL_BALANCE and the ledger credit that explains it (balance = Σ credits − Σ purchases).
 */
export async function seed(url: string, passwordHash: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("BEGIN");
    await c.query(
      `INSERT INTO products (id, title, description, price, created_at, updated_at)
       SELECT ${sqlProductId("i")}, 'Product ' || lpad(i::text, 4, '0'),
              'Benchmark product ' || i || ': a line of description, about as long as a real one.',
              (1 + (i % 900) / 100.0)::numeric(20, 2),
              now() - i * interval '1 second', now()
         FROM generate_series(1, $1::int) AS i`,
      [PRODUCTS],
    );
    await c.query(
      `INSERT INTO users (id, numeric_id, login, password_hash, is_active, activated_at)
       SELECT ${sqlUserId("i")}, i, 'bench' || lpad(i::text, 4, '0'), $2, true, now()
         FROM generate_series(1, $1::int) AS i`,
      [USERS, passwordHash],
    );
    await c.query(`SELECT setval(pg_get_serial_sequence('users', 'numeric_id'), $1)`, [USERS]);
    await c.query(
      `INSERT INTO accounts (id, numeric_id, user_id, balance)
       SELECT ${sqlAccountId("i")}, i, ${sqlUserId("i")}, $2::numeric FROM generate_series(1, $1::int) AS i`,
      [USERS, INITIAL_BALANCE],
    );
    await c.query(
      `INSERT INTO ledger_entries (kind, direction, counterparty, account_id, amount, balance_after, transaction_id,
                                   payload_hash)
       SELECT 'credit', 'in', 'provider', ${sqlAccountId("i")}, $2::numeric, $2::numeric, i, 'seed'
         FROM generate_series(1, $1::int) AS i`,
      [USERS, INITIAL_BALANCE],
    );
    await c.query("COMMIT");
    await c.query("VACUUM ANALYZE");
  } finally {
    await c.end();
  }
}

/** A connection for housekeeping between runs and for reading the server's settings. */
export async function connect(url: string): Promise<PgClient> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

/**
 * Between runs: vacuum the tables the previous run updated (the hot account collects dead row
 * versions) and checkpoint, so that no run pays for the previous one's dirty pages.
 */
export async function settle(c: PgClient): Promise<void> {
  await c.query("VACUUM (ANALYZE) accounts");
  await c.query("CHECKPOINT");
}

/** Connections that pgbench may still open without crowding other users of the server. */
export async function freeConnections(c: PgClient): Promise<number> {
  const { rows } = await c.query<{ free: number }>(
    `SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int
            - (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend') AS free`,
  );
  return rows[0]!.free;
}

/** Did the ledger keep its invariant through the whole run? (A benchmark that corrupts money is void.) */
export async function checkLedger(c: PgClient): Promise<{ accounts: number; mismatched: number }> {
  const { rows } = await c.query<{ accounts: number; mismatched: number }>(
    `SELECT count(*)::int AS accounts,
            count(*) FILTER (WHERE a.balance <> coalesce(l.sum, 0))::int AS mismatched
       FROM accounts a
       LEFT JOIN (
         SELECT account_id, sum(CASE WHEN direction = 'in' THEN amount ELSE -amount END) AS sum
           FROM ledger_entries GROUP BY account_id
       ) l ON l.account_id = a.id`,
  );
  return rows[0]!;
}
