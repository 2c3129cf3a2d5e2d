// A year of a mid-size shop, built with bulk SQL (generate_series), for `npm run bench:scale` and, small,
// for the EXPLAIN test (test/scale-plans.int.test.ts). At scale 1: 1,000,000 users, 2,000,000 accounts
// (two per user), 10,000,000 ledger rows (a credit and four purchases per account over 365 days),
// 2,000,000 webhook calls (one per credit), 100,000 audit entries, 1,000 products. Every account's balance
// is exactly its ledger sum, so reconciliation balances. Ids are deterministic (database.ts's shapes).
//
// The tables are filled without their secondary indexes (each is dropped, then built again after the
// load and timed: those are the figures of an index migration at this size) and without FK / append-only
// triggers (session_replication_role = replica: the data is consistent by construction).
import type pg from "pg";
import { sqlAccountId, sqlProductId, sqlUserId } from "./database.ts";

export interface ScaleCounts {
  users: number;
  accounts: number;
  ledger: number;
  webhooks: number;
  audit: number;
  products: number;
}

export function countsAt(scale: number): ScaleCounts {
  const users = Math.max(10, Math.round(1_000_000 * scale));
  return {
    users,
    accounts: 2 * users,
    ledger: 10 * users,
    webhooks: 2 * users,
    audit: Math.max(10, Math.round(100_000 * scale)),
    products: 1000,
  };
}

/** The bench's administrator: user numeric id users + 1, login `scale-admin`. */
export const adminNumber = (c: ScaleCounts) => c.users + 1;
export const scaleLogin = (i: number) => `scale${String(i).padStart(7, "0")}`;
/** The uuid of the credit of account a (its webhook call points at it). */
const sqlCreditId = (v: string) => `('00000000-0000-4000-b000-' || lpad(${v}::text, 12, '0'))::uuid`;

type Client = Pick<pg.Client, "query">;
const BIG_TABLES = ["users", "accounts", "ledger_entries", "webhook_deliveries", "audit_log", "products"];

export interface BuildReport {
  seconds: number;
  loadSeconds: number;
  indexSeconds: Record<string, number>;
}

/**
 * Fills an empty, migrated database. `now` anchors the year (default: the server's now()). Logs each
 * step with its duration through `log`.
 */
export async function buildScaleData(
  c: Client,
  counts: ScaleCounts,
  passwordHash: string,
  log: (message: string) => void = () => {},
): Promise<BuildReport> {
  const started = Date.now();
  const step = async (what: string, sqlText: string, values: unknown[] = []) => {
    const t = Date.now();
    await c.query(sqlText, values);
    log(`  ${what}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };
  const { rows: indexes } = await c.query<{ name: string; def: string; table: string }>(
    `SELECT indexname AS name, indexdef AS def, tablename AS table FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename = ANY($1::text[]) AND indexname NOT LIKE '%\\_pkey'`,
    [BIG_TABLES],
  );
  for (const i of indexes) await c.query(`DROP INDEX "${i.name}"`);
  await c.query("SET session_replication_role = replica");
  const U = counts.users;
  const A = counts.accounts;
  // The year: user i joins at T0 + i/U of 365 days; account a's credit one hour (second account: two) later;
  // its four purchases share what is left of the year evenly (a second apart for a credit written today:
  // every purchase comes after its credit, so each account's balance_after follows its seq, as it does
  // when the money statements write them).
  const t0 = `(date_trunc('day', now()) - interval '365 days')`;
  const creditAt = (a: string) =>
    `(${t0} + ((((${a}) - 1) % ${U}) + 0.5) * (interval '365 days' / ${U}) + CASE WHEN (${a}) > ${U} THEN interval '2 hours' ELSE interval '1 hour' END)`;
  const product = (a: string, j: string) => `(1 + ((${a}) * 4 + (${j})) % ${counts.products})`;
  const price = (p: string) => `(1 + ((${p}) % 900) / 100.0)::numeric(20,2)`;
  const creditAmount = (a: string) => `(100 + (${a}) % 100)::numeric(20,2)`;

  await step(
    `products (${counts.products})`,
    `INSERT INTO products (id, title, description, price, created_at, updated_at)
     SELECT ${sqlProductId("i")}, 'Product ' || lpad(i::text, 4, '0'), 'Scale product ' || i, ${price("i")},
            ${t0} - interval '1 day', ${t0} - interval '1 day'
       FROM generate_series(1, $1::int) AS i`,
    [counts.products],
  );
  // Every 100th user disabled, every 1000th (not a 100th) pending; the rest active.
  await step(
    `users (${U + 1})`,
    `INSERT INTO users (id, numeric_id, login, password_hash, is_active, is_admin, activated_at, activation_token_hash,
                        activation_expires_at, created_at, updated_at)
     SELECT ${sqlUserId("i")}, i, CASE WHEN i > $1 THEN 'scale-admin' ELSE 'scale' || lpad(i::text, 7, '0') END, $2,
            i % 100 <> 0 AND (i % 1000 <> 500), i > $1,
            CASE WHEN i % 1000 = 500 THEN NULL ELSE t END,
            CASE WHEN i % 1000 = 500 THEN 'scale-activation-' || i END,
            CASE WHEN i % 1000 = 500 THEN t + interval '1 day' END, t, t
       FROM generate_series(1, $1 + 1) AS i,
            LATERAL (SELECT ${t0} + ((i - 1) % $1) * (interval '365 days' / $1) AS t) AS j`,
    [U, passwordHash],
  );
  await c.query(`SELECT setval(pg_get_serial_sequence('users', 'numeric_id'), $1)`, [U + 1]);
  await step(
    `accounts (${A})`,
    `INSERT INTO accounts (id, numeric_id, user_id, balance, created_at, updated_at)
     SELECT ${sqlAccountId("a")}, a, ${sqlUserId(`(1 + (a - 1) % ${U})`)},
            ${creditAmount("a")} - (SELECT sum(${price(product("a", "j"))}) FROM generate_series(1, 4) AS j),
            ${creditAt("a")}, now()
       FROM generate_series(1, $1::int) AS a`,
    [A],
  );
  // Credits and purchases in one statement, in time order (seq follows time, as in production).
  await step(
    `ledger_entries (${counts.ledger})`,
    `INSERT INTO ledger_entries (id, kind, direction, counterparty, account_id, amount, balance_after, transaction_id,
                                 payload_hash, product_id, product_title, product_price, created_at)
     SELECT id, kind::ledger_kind, direction::ledger_direction, counterparty::ledger_counterparty, account_id, amount,
            balance_after, transaction_id, payload_hash, product_id, product_title, product_price, created_at
       FROM (
         SELECT ${sqlCreditId("a")} AS id, 'credit' AS kind, 'in' AS direction, 'provider' AS counterparty,
                ${sqlAccountId("a")} AS account_id, ${creditAmount("a")} AS amount, ${creditAmount("a")} AS balance_after,
                a::int8 AS transaction_id, 'scale' AS payload_hash, NULL::uuid AS product_id, NULL AS product_title,
                NULL::numeric AS product_price, ${creditAt("a")} AS created_at
           FROM generate_series(1, $1::int) AS a
         UNION ALL
         SELECT gen_random_uuid(), 'purchase', 'out', 'shop', ${sqlAccountId("a")}, ${price(product("a", "j"))},
                ${creditAmount("a")} - (SELECT sum(${price(product("a", "k"))}) FROM generate_series(1, j) AS k),
                NULL, NULL, ${sqlProductId(product("a", "j"))}, 'Product ' || lpad(${product("a", "j")}::text, 4, '0'),
                ${price(product("a", "j"))},
                ${creditAt("a")} + j * GREATEST((date_trunc('day', now()) - ${creditAt("a")}) / 5, interval '1 second')
           FROM generate_series(1, $1::int) AS a, generate_series(1, 4) AS j
       ) rows
      ORDER BY created_at`,
    [A],
  );
  await step(
    `webhook_deliveries (${counts.webhooks})`,
    `INSERT INTO webhook_deliveries (source_ip, outcome, http_status, transaction_id, user_id, bill_id, body, truncated,
                                     ledger_entry_id, received_at)
     SELECT '203.0.113.' || (a % 250 + 1), 'credited', 200, a, 1 + (a - 1) % ${U}, a,
            '{"transaction_id":' || a || ',"user_id":' || (1 + (a - 1) % ${U}) || ',"bill_id":' || a || ',"amount":' ||
              ${creditAmount("a")} || ',"signature":"' || md5(a::text) || '"}',
            false, ${sqlCreditId("a")}, ${creditAt("a")}
       FROM generate_series(1, $1::int) AS a
      ORDER BY (a - 1) % ${U}, a`,
    [Math.min(counts.webhooks, A)],
  );
  await step(
    `audit_log (${counts.audit})`,
    `INSERT INTO audit_log (actor_type, actor_id, actor_login, action, target_type, target_id, before, after, at)
     SELECT 'user', ${sqlUserId(String(U + 1))}, 'scale-admin',
            CASE WHEN i % 3 = 0 THEN 'product.update' WHEN i % 3 = 1 THEN 'user.disable' ELSE 'user.enable' END,
            CASE WHEN i % 3 = 0 THEN 'product' ELSE 'user' END,
            CASE WHEN i % 3 = 0 THEN ${sqlProductId(`(1 + i % ${counts.products})`)}::text
                 ELSE ${sqlUserId(`(1 + i % ${U})`)}::text END,
            '{"isActive":true}', '{"isActive":false}', ${t0} + i * (interval '365 days' / $1)
       FROM generate_series(1, $1::int) AS i`,
    [counts.audit],
  );
  await c.query("SET session_replication_role = DEFAULT");
  // The users' counter (user_counts) is kept by triggers, which did not fire for this load: set it.
  await c.query(`UPDATE user_counts SET n = CASE WHEN shard = 0 THEN (SELECT count(*) FROM users) ELSE 0 END`);
  const loadSeconds = (Date.now() - started) / 1000;
  await c.query("SET maintenance_work_mem = '256MB'");
  const indexSeconds: Record<string, number> = {};
  for (const i of indexes) {
    const t = Date.now();
    await c.query(i.def);
    indexSeconds[i.name] = (Date.now() - t) / 1000;
    log(`  index ${i.name}: ${indexSeconds[i.name]!.toFixed(1)} s`);
  }
  await step("VACUUM ANALYZE", "VACUUM ANALYZE");
  return { seconds: (Date.now() - started) / 1000, loadSeconds, indexSeconds };
}
