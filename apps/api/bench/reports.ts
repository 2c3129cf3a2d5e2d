// The operator's reports with a big ledger: GET /transactions (filters, CSV), /stats, /reconciliation,
// /webhooks, /audit on PostgreSQL with BENCH_LEDGER_ROWS (default 100,000) ledger rows. Prints the time
// of each answer (median and max of BENCH_REPORT_RUNS runs, after two warm-ups), measured over HTTP on
// the in-process app. Asserts nothing; the target is < 200 ms each (ARCHITECTURE.md "The money").
//
//   npm run bench:reports          (DATABASE_URL: the PostgreSQL server; a shop_bench_<random> is made and dropped)
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createDb } from "@shop/db";
import pino from "pino";
import { createApp } from "../src/app.ts";
import { hashPassword } from "../src/auth/passwords.ts";
import { signAccessToken } from "../src/auth/tokens.ts";
import { testConfig } from "../src/env.ts";
import { createLoginLimiter } from "../src/services/login-limiter.ts";
import {
  connect,
  createBenchDatabase,
  migrate,
  PASSWORD,
  productId,
  seed,
  sqlAccountId,
  sqlProductId,
  userId,
  USERS,
} from "./database.ts";

const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const ROWS = Number(process.env.BENCH_LEDGER_ROWS ?? 100_000);
const RUNS = Number(process.env.BENCH_REPORT_RUNS ?? 15);
// BENCH_KEEP=1 keeps the database (for EXPLAIN ANALYZE); drop it by hand afterwards.

const log = (message: string) => process.stderr.write(`${message}\n`);

/** Ledger rows beyond the seed's credits, spread over the last 60 days: 70 % purchases, 10 % refunds, 10 % credits, 10 % adjustments. */
async function growLedger(url: string) {
  const c = await connect(url);
  try {
    await c.query("BEGIN");
    const purchases = Math.round(ROWS * 0.7);
    await c.query(
      `INSERT INTO ledger_entries (kind, direction, counterparty, account_id, amount, balance_after, product_id,
                                   product_title, product_price, refunded_amount, created_at)
       SELECT 'purchase', 'out', 'shop', ${sqlAccountId("(1 + i % $2::int)")}, p.price, 1, p.id, p.title, p.price,
              CASE WHEN i % 7 = 0 THEN p.price ELSE 0 END, now() - (i % 60) * interval '1 day' - (i % 86400) * interval '1 second'
         FROM generate_series(1, $1::int) AS i JOIN products p ON p.id = ${sqlProductId("(1 + i % 1000)")}`,
      [purchases, USERS],
    );
    // A refund for every seventh purchase (in full), pointing at it.
    await c.query(
      `INSERT INTO ledger_entries (kind, direction, counterparty, account_id, amount, balance_after, product_id,
                                   product_title, product_price, refund_of, reason, created_at)
       SELECT 'refund', 'in', 'shop', e.account_id, e.amount, 1, e.product_id, e.product_title, e.product_price, e.id,
              'bench refund', e.created_at + interval '1 hour'
         FROM ledger_entries e WHERE e.kind = 'purchase' AND e.refunded_amount > 0`,
    );
    const rest = Math.max(0, ROWS - purchases - Math.ceil(purchases / 7));
    await c.query(
      `INSERT INTO ledger_entries (kind, direction, counterparty, account_id, amount, balance_after, transaction_id,
                                   payload_hash, reason, created_at)
       SELECT CASE WHEN i % 2 = 0 THEN 'credit' ELSE 'adjustment' END::ledger_kind,
              CASE WHEN i % 4 = 3 THEN 'out' ELSE 'in' END::ledger_direction,
              CASE WHEN i % 2 = 0 THEN 'provider' ELSE 'adjustments' END::ledger_counterparty,
              ${sqlAccountId("(1 + i % $2::int)")}, (1 + i % 500)::numeric, 1,
              CASE WHEN i % 2 = 0 THEN 10000000 + i END, CASE WHEN i % 2 = 0 THEN 'bench' END,
              CASE WHEN i % 2 = 1 THEN 'bench adjustment' END,
              now() - (i % 60) * interval '1 day'
         FROM generate_series(1, $1::int) AS i`,
      [rest, USERS],
    );
    // Balances follow their ledger, so the reconciliation does its full work and finds the books balanced.
    await c.query(
      `UPDATE accounts a SET balance = l.sum
         FROM (SELECT account_id, sum(CASE WHEN direction = 'in' THEN amount ELSE -amount END) AS sum
                 FROM ledger_entries GROUP BY account_id) l
        WHERE l.account_id = a.id`,
    );
    await c.query(
      `INSERT INTO webhook_deliveries (source_ip, outcome, http_status, transaction_id, user_id, bill_id, body, truncated,
                                       ledger_entry_id, received_at)
       SELECT '127.0.0.1', 'credited', 200, e.transaction_id, 1, 1, '{}', false, e.id, e.created_at
         FROM ledger_entries e WHERE e.kind = 'credit'`,
    );
    await c.query(
      `INSERT INTO audit_log (actor_type, actor_id, actor_login, action, target_type, target_id, after, at)
       SELECT 'user', $2::uuid, 'bench0001', 'product.update', 'product', ${sqlProductId("(1 + i % 1000)")}::text,
              '{"price": "1.00"}', now() - (i % 60) * interval '1 day'
         FROM generate_series(1, $1::int) AS i`,
      [Math.round(ROWS / 10), userId(1)],
    );
    await c.query("UPDATE users SET is_admin = true WHERE id = $1::uuid", [userId(1)]);
    await c.query("COMMIT");
    await c.query("VACUUM ANALYZE");
    const { rows } = await c.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_entries");
    return rows[0]!.n;
  } finally {
    await c.end();
  }
}

async function main() {
  const database = await createBenchDatabase(serverUrl);
  log(`database ${database.name}`);
  const db = await createDb({ databaseUrl: database.url, poolSize: 5, migrate: false });
  const config = testConfig();
  const loginLimiter = createLoginLimiter(config.loginLimits);
  const server = createServer(createApp({ db, config, log: pino({ level: "silent" }), loginLimiter }));
  try {
    await migrate(database.url);
    await seed(database.url, await hashPassword(PASSWORD));
    const ledgerRows = await growLedger(database.url);
    log(`ledger rows: ${ledgerRows}`);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const token = signAccessToken({ userId: userId(1), tokenVersion: 0 }, config.jwtSecret, 3600);
    const today = new Date().toISOString().slice(0, 10);
    const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    const week = new Date(Date.now() - 7 * 86_400_000).toISOString();
    const reports: [string, string][] = [
      ["GET /transactions?limit=50", "/transactions?limit=50"],
      ["GET /transactions?kind=refund", "/transactions?kind=refund&limit=50"],
      ["GET /transactions?userId", `/transactions?userId=${userId(42)}&limit=50`],
      ["GET /transactions?productId", `/transactions?productId=${productId(7)}&limit=50`],
      ["GET /transactions?from (7 days)", `/transactions?from=${encodeURIComponent(week)}&limit=50`],
      ["GET /transactions?offset=5000", "/transactions?limit=50&offset=5000"],
      ["GET /transactions.csv?userId", `/transactions.csv?userId=${userId(42)}`],
      ["GET /stats (30 days)", "/stats"],
      ["GET /stats (366 days)", `/stats?from=${yearAgo}&to=${today}`],
      ["GET /reconciliation", "/reconciliation"],
      ["GET /webhooks?limit=50", "/webhooks?limit=50"],
      ["GET /webhooks?userId", "/webhooks?userId=1&limit=50"],
      ["GET /audit?limit=50", "/audit?limit=50"],
    ];
    const lines: string[] = [];
    for (const [label, path] of reports) {
      const times: number[] = [];
      let status = 0;
      let bytes = 0;
      for (let i = 0; i < RUNS + 2; i++) {
        const started = performance.now();
        const res = await fetch(base + path, { headers: { Authorization: `Bearer ${token}` } });
        const body = await res.text();
        const ms = performance.now() - started;
        status = res.status;
        bytes = body.length;
        if (i >= 2) times.push(ms);
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)]!;
      lines.push(
        `| ${label.padEnd(34)} | ${String(status).padStart(3)} | ${median.toFixed(1).padStart(7)} | ${times.at(-1)!.toFixed(1).padStart(7)} | ${String(bytes).padStart(8)} |`,
      );
    }
    console.log(`\nReports with ${ledgerRows} ledger rows on PostgreSQL (${RUNS} runs each, ms over HTTP):\n`);
    console.log(`| ${"report".padEnd(34)} | sts | median  |   max   |    bytes |`);
    console.log(`| ${"-".repeat(34)} | --- | ------: | ------: | -------: |`);
    for (const line of lines) console.log(line);
  } finally {
    server.close();
    await loginLimiter.close();
    await db.close();
    if (process.env.BENCH_KEEP === "1") log(`kept ${database.url}`);
    else {
      await database.drop();
      log(`dropped ${database.name}`);
    }
  }
}

await main();
