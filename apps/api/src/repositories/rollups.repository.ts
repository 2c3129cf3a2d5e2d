// The reports' roll-ups (migration 20261206120100_report_rollups): a job folds what the ledger wrote into
// small tables, outside the purchase path — no purchase statement reads or writes them, so there is no
// shared row that every purchase updates. Two steps, each one statement (one transaction) that first
// claims the single report_state row (FOR UPDATE SKIP LOCKED: a second runner does nothing), so each
// range is folded exactly once whatever number of processes run the job:
//
// - closed days: the ledger of every UTC day that ended before the horizon (below), by kind, direction
//   and product, into ledger_daily, by kind and direction into ledger_daily_totals, each product's
//   running totals into product_running (and new users into users_daily), and their sums into
//   report_state's running totals; at most 31 days per run (the first runs over a year of history catch
//   up a month at a time).
// - the watermark: the ledger rows after report_state.ledger_seq, up to the newest row written before
//   the horizon and at most `chunk` rows, fold into each touched account's check (its stored balance as
//   of the watermark — the balance_after of its last row there, which the money statement took from the
//   account row itself — and its ledger sum), each touched user's total (the users' list sorted by
//   balance) and the wallets' total (as of the watermark, so that a report adds the ledger after it).
//
// Why a horizon: a ledger row's time and seq are taken inside its statement, and the row becomes visible
// at commit. A row skipped because its transaction was still open would be skipped for good, so the job
// folds only what lies before the oldest transaction still open (horizonStatement) — a second or so
// behind under load instead of a fixed minute, so that the reports' live part (the rows after the
// watermark, which every report reads) stays a second of writes. Reports never wait for the job: they
// read the roll-ups plus the live ledger after them (reports.repository.ts), so they are exact whether
// the job ran a second ago or never.
import { type SqlValue, type Statement, statement } from "@shop/db";
import { perDb } from "./shared.ts";

/** The UUID standing for "no product" in ledger_daily's key. */
export const NO_PRODUCT = "00000000-0000-0000-0000-000000000000";

/**
 * The ledger rows of `range` (a condition on e.seq) written on days not rolled up yet (after
 * report_state.rolled_through, `st.rolled_through` here), added into ledger_open_days — so that what a
 * report reads live of today is the open days' few rows plus the rows after the watermark, not all of
 * today's ledger. The closed-days step reads the ledger itself and clears the days it closes.
 */
const foldOpenDays = (range: string) => `open_rows AS (
     SELECT (e.created_at AT TIME ZONE 'UTC')::date AS day, e.kind, e.direction,
            COALESCE(e.product_id, '${NO_PRODUCT}'::uuid) AS product_id, count(*) AS n, sum(e.amount) AS amount
       FROM ledger_entries e, hi, st
      WHERE ${range} AND e.created_at >= COALESCE(${dayStart("st.rolled_through + 1")}, '-infinity')
      GROUP BY 1, 2, 3, 4
   ), put_open AS (
     INSERT INTO ledger_open_days AS o (day, kind, direction, product_id, count, amount)
     SELECT day, kind, direction, product_id, n, amount FROM open_rows
     ON CONFLICT (day, kind, direction, product_id)
     DO UPDATE SET count = o.count + EXCLUDED.count, amount = o.amount + EXCLUDED.amount
   )`;

/** A UTC day's first instant, for a date expression. */
const dayStart = (d: string) => `((${d})::timestamp AT TIME ZONE 'UTC')`;

/**
 * The horizon: every ledger row written before it is committed (or rolled back) and visible to the next
 * statement. A ledger row's created_at is clock_timestamp() in the statement that inserts it (and takes
 * its seq), inside a transaction that started at or before it; so a transaction still open now started at
 * its xact_start, and every row before the oldest such start (less $1 seconds, for the instants between a
 * row's clock_timestamp() and its seq) belongs to a transaction that has ended. Read in a statement of its
 * own, before the fold's snapshot: a transaction that ends in between is then visible to the fold. Only
 * the sessions of this database and role show their xact_start (pg_stat_activity): the ledger is written
 * by the API's role alone. A transaction left open (an idle psql) holds the horizon back: the reports read more live
 * rows, and stay exact.
 */
const horizonStatement = statement<{ horizon: string }>(
  "rollups.horizon",
  `SELECT to_char((LEAST(clock_timestamp(),
                  (SELECT min(a.xact_start) FROM pg_stat_activity a
                    WHERE a.datname = current_database() AND a.xact_start IS NOT NULL
                      AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'))
                  - make_interval(secs => $1::float8)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS horizon`,
);

/** $1 the horizon (horizonStatement). Returns the last day rolled up, or no row when nothing was due. */
const rollDaysStatement = statement<{ rolled_through: string }>(
  "rollups.days",
  `WITH st AS (
     SELECT rolled_through FROM report_state WHERE id = 1 FOR UPDATE SKIP LOCKED
   ), bounds AS (
     SELECT COALESCE(st.rolled_through + 1, LEAST(
              (SELECT (min(created_at) AT TIME ZONE 'UTC')::date FROM ledger_entries),
              (SELECT (min(created_at) AT TIME ZONE 'UTC')::date FROM users))) AS d0,
            ($1::timestamptz AT TIME ZONE 'UTC')::date - 1 AS closed
       FROM st
   ), span AS (
     SELECT d0, LEAST(closed, d0 + 30) AS d1 FROM bounds WHERE d0 IS NOT NULL AND d0 <= closed
   ), rows AS (
     SELECT (e.created_at AT TIME ZONE 'UTC')::date AS day, e.kind, e.direction,
            COALESCE(e.product_id, '${NO_PRODUCT}'::uuid) AS product_id, count(*) AS n, sum(e.amount) AS amount
       FROM ledger_entries e, span
      WHERE e.created_at >= ${dayStart("span.d0")} AND e.created_at < ${dayStart("span.d1 + 1")}
      GROUP BY 1, 2, 3, 4
   ), put AS (
     INSERT INTO ledger_daily (day, kind, direction, product_id, count, amount)
     SELECT day, kind, direction, product_id, n, amount FROM rows
     ON CONFLICT (day, kind, direction, product_id) DO UPDATE SET count = EXCLUDED.count, amount = EXCLUDED.amount
   ), closed_open AS (
     -- The days closed here leave ledger_open_days (the rows above are read from the ledger itself).
     DELETE FROM ledger_open_days o USING span WHERE o.day <= span.d1
   ), put_totals AS (
     INSERT INTO ledger_daily_totals (day, kind, direction, count, amount)
     SELECT day, kind, direction, sum(n), sum(amount) FROM rows GROUP BY 1, 2, 3
     ON CONFLICT (day, kind, direction) DO UPDATE SET count = EXCLUDED.count, amount = EXCLUDED.amount
   ), product_days AS (
     SELECT product_id, day, COALESCE(sum(n) FILTER (WHERE kind = 'purchase'), 0) AS n,
            sum(CASE WHEN kind = 'purchase' THEN amount ELSE -amount END) AS net
       FROM rows WHERE kind IN ('purchase', 'refund')
      GROUP BY 1, 2
   ), put_running AS (
     -- Each product's running totals: its last row before the span, plus the span's days in order.
     INSERT INTO product_running (product_id, day, count, net)
     SELECT p.product_id, p.day,
            COALESCE(prev.count, 0) + sum(p.n) OVER w, COALESCE(prev.net, 0) + sum(p.net) OVER w
       FROM product_days p
       CROSS JOIN span
       LEFT JOIN LATERAL (SELECT r.count, r.net FROM product_running r
                           WHERE r.product_id = p.product_id AND r.day < span.d0
                           ORDER BY r.day DESC LIMIT 1) prev ON true
     WINDOW w AS (PARTITION BY p.product_id ORDER BY p.day)
     ON CONFLICT (product_id, day) DO UPDATE SET count = EXCLUDED.count, net = EXCLUDED.net
   ), new_users AS (
     INSERT INTO users_daily (day, count)
     SELECT (u.created_at AT TIME ZONE 'UTC')::date, count(*) FROM users u, span
      WHERE u.created_at >= ${dayStart("span.d0")} AND u.created_at < ${dayStart("span.d1 + 1")}
      GROUP BY 1
     ON CONFLICT (day) DO UPDATE SET count = EXCLUDED.count
   ), sums AS (
     SELECT COALESCE(sum(amount) FILTER (WHERE kind = 'credit'), 0) AS credits,
            COALESCE(sum(amount) FILTER (WHERE kind = 'purchase'), 0) AS sales,
            COALESCE(sum(amount) FILTER (WHERE kind = 'refund'), 0) AS refunds,
            COALESCE(sum(amount) FILTER (WHERE kind = 'adjustment' AND direction = 'in'), 0) AS adj_in,
            COALESCE(sum(amount) FILTER (WHERE kind = 'adjustment' AND direction = 'out'), 0) AS adj_out
       FROM rows
   )
   UPDATE report_state s
      SET rolled_through = span.d1, credits = s.credits + sums.credits, sales = s.sales + sums.sales,
          refunds = s.refunds + sums.refunds, adjustments_in = s.adjustments_in + sums.adj_in,
          adjustments_out = s.adjustments_out + sums.adj_out, updated_at = now()
     FROM span, sums
    WHERE s.id = 1
   RETURNING to_char(s.rolled_through, 'YYYY-MM-DD') AS rolled_through`,
  { custom: true },
);

/**
 * The range the watermark's fold takes: after the watermark, up to the newest row written before the
 * horizon ($1, the (created_at, seq) index read backwards from there), at most $2 rows. Read first and
 * passed to the fold as values: from a CTE the planner took the range for a ninth of the ledger and
 * planned it with a scan of every account check (1.4 M at 10 M ledger rows) at every run of the job.
 */
const accountsRangeStatement = statement<{ lo: string; hi: string }>(
  "rollups.accounts-range",
  `SELECT ledger_seq::text AS lo,
          LEAST(COALESCE((SELECT e.seq FROM ledger_entries e WHERE e.created_at < $1::timestamptz
                           ORDER BY e.created_at DESC, e.seq DESC LIMIT 1), 0),
                ledger_seq + $2::int8)::text AS hi
     FROM report_state WHERE id = 1`,
);

/**
 * $1 the watermark and $2 the end of the range (accountsRangeStatement). Returns the new watermark, or
 * no row when another runner moved the watermark meanwhile.
 */
const rollAccountsStatement = statement<{ ledger_seq: string; accounts: number }>(
  "rollups.accounts",
  `WITH st AS (
     -- Still at $1: a runner that folded meanwhile makes this statement do nothing.
     SELECT ledger_seq, rolled_through FROM report_state WHERE id = 1 AND ledger_seq = $1::int8 FOR UPDATE SKIP LOCKED
   ), hi AS (
     SELECT $2::int8 AS hi FROM st
   ), ${foldOpenDays("e.seq > $1::int8 AND e.seq <= $2::int8")}, moved AS (
     SELECT e.account_id, sum(CASE WHEN e.direction = 'in' THEN e.amount ELSE -e.amount END) AS delta,
            (array_agg(e.balance_after ORDER BY e.seq DESC))[1] AS balance
       FROM ledger_entries e, hi WHERE e.seq > $1::int8 AND e.seq <= $2::int8
      GROUP BY e.account_id
   ), now_vals AS (
     SELECT m.account_id, a.user_id, m.balance, COALESCE(c.ledger, 0) + m.delta AS ledger,
            COALESCE(c.balance, 0) AS old_balance
       FROM moved m JOIN accounts a ON a.id = m.account_id LEFT JOIN account_checks c ON c.account_id = m.account_id
   ), put AS (
     INSERT INTO account_checks (account_id, balance, ledger) SELECT account_id, balance, ledger FROM now_vals
     ON CONFLICT (account_id) DO UPDATE SET balance = EXCLUDED.balance, ledger = EXCLUDED.ledger
   ), totals AS (
     INSERT INTO user_balances (user_id, numeric_id, total)
     SELECT u.id, u.numeric_id, (SELECT COALESCE(sum(a.balance), 0) FROM accounts a WHERE a.user_id = u.id)
       FROM users u WHERE u.id IN (SELECT user_id FROM now_vals)
     ON CONFLICT (user_id) DO UPDATE SET total = EXCLUDED.total
   )
   UPDATE report_state s
      SET ledger_seq = hi.hi,
          wallets_total = s.wallets_total + COALESCE((SELECT sum(balance - old_balance) FROM now_vals), 0),
          updated_at = now()
     FROM hi
    WHERE s.id = 1
   RETURNING s.ledger_seq::text, (SELECT count(*) FROM now_vals)::int4 AS accounts`,
  { custom: true },
);

/**
 * The first fold (watermark 0: a new installation, or this migration on an existing ledger), set-based:
 * one pass over the ledger grouped by account instead of chunks of index look-ups (at 10 M rows, about
 * a minute instead of half an hour). $1 the horizon (horizonStatement).
 */
const rollAllAccountsStatement = statement<{ ledger_seq: string; accounts: number }>(
  "rollups.accounts-all",
  `WITH st AS (
     SELECT ledger_seq, rolled_through FROM report_state WHERE id = 1 AND ledger_seq = 0 FOR UPDATE SKIP LOCKED
   ), safe AS (
     SELECT COALESCE((SELECT e.seq FROM ledger_entries e
                       WHERE e.created_at < $1::timestamptz
                       ORDER BY e.created_at DESC, e.seq DESC LIMIT 1), 0) AS seq
       FROM st
   ), hi AS (
     SELECT seq AS hi FROM safe
   ), ${foldOpenDays("e.seq <= hi.hi")}, sums AS (
     SELECT e.account_id, sum(CASE WHEN e.direction = 'in' THEN e.amount ELSE -e.amount END) AS ledger,
            (array_agg(e.balance_after ORDER BY e.seq DESC))[1] AS balance
       FROM ledger_entries e, safe WHERE e.seq <= safe.seq
      GROUP BY e.account_id
   ), now_vals AS (
     SELECT a.id AS account_id, a.user_id, s.balance, a.balance AS stored, s.ledger
       FROM sums s JOIN accounts a ON a.id = s.account_id
   ), put AS (
     INSERT INTO account_checks (account_id, balance, ledger) SELECT account_id, balance, ledger FROM now_vals
     ON CONFLICT (account_id) DO UPDATE SET balance = EXCLUDED.balance, ledger = EXCLUDED.ledger
   ), totals AS (
     INSERT INTO user_balances (user_id, numeric_id, total)
     SELECT u.id, u.numeric_id, t.total
       FROM (SELECT user_id, sum(stored) AS total FROM now_vals GROUP BY user_id) t JOIN users u ON u.id = t.user_id
     ON CONFLICT (user_id) DO UPDATE SET total = EXCLUDED.total
   )
   UPDATE report_state s
      SET ledger_seq = safe.seq, wallets_total = COALESCE((SELECT sum(balance) FROM now_vals), 0), updated_at = now()
     FROM safe
    WHERE s.id = 1 AND safe.seq > 0
   RETURNING s.ledger_seq::text, (SELECT count(*) FROM now_vals)::int4 AS accounts`,
  { custom: true },
);

/**
 * The tables the job (and the users' triggers) rewrite every second — the same few rows again and again —
 * vacuumed and analysed by the job itself: a server with autovacuum off, or one busy elsewhere, would
 * otherwise leave every report reading their dead versions (after the first fold of a rebuilt year,
 * ledger_open_days held 203,390 dead rows for 1,001 live ones in 3,470 pages: 6.4 ms a read instead of
 * 0.3). SKIP_LOCKED: a table another session holds is left for the next turn. Unnamed: VACUUM runs
 * outside a transaction, in its own statement.
 */
const tidyStatement = statement<never>(
  "rollups.tidy",
  `VACUUM (SKIP_LOCKED, ANALYZE) ledger_open_days, report_state, user_counts`,
  { custom: true },
);

/**
 * JIT off for the job's folds (SET LOCAL, in the fold's own transaction: behind PgBouncer too). Each
 * fold learns its range from report_state at run time, so the planner costs it as a year of the ledger;
 * above jit_above_cost PostgreSQL then compiles the plan before running it. At the bench's year that was
 * 0.4–0.7 s of CPU at every run (each second) of a statement that folded nothing or a second of writes.
 */
const noJitStatement = statement<never>("rollups.no-jit", `SET LOCAL jit = off`, { custom: true });

export interface RollupOptions {
  /** Seconds taken off the horizon (default 1: the instants between a row's time and its seq; tests use 0). */
  marginSeconds?: number;
  /** The most ledger rows folded into account checks per step (default 200,000). */
  chunk?: number;
  /** The most steps of each kind per call (default 1). */
  steps?: number;
}

export const rollupsRepository = perDb(({ sql }) => {
  /** A fold: one statement, in a transaction of its own without JIT (noJitStatement). */
  const fold = <Row>(s: Statement<Row>, values: readonly SqlValue[]) =>
    sql.transaction(async (tx) => {
      await tx.query(noJitStatement, []);
      return tx.query(s, values);
    });
  return {
    /** One pass of the job: closed days, then the watermark. Idempotent; concurrent callers skip. */
    async run(options: RollupOptions = {}): Promise<{ rolledThrough: string | null; ledgerSeq: string | null }> {
      const margin = options.marginSeconds ?? 1;
      let rolledThrough: string | null = null;
      let ledgerSeq: string | null = null;
      for (let i = 0; i < (options.steps ?? 1); i++) {
        const [{ horizon } = { horizon: "-infinity" }] = await sql.query(horizonStatement, [margin]);
        const [days] = await fold(rollDaysStatement, [horizon]);
        if (days) {
          // Closed days first, all of them: the watermark's fold waits until none is left to close, so
          // that it never adds a day about to close to ledger_open_days. The first fold of a year of history
          // otherwise wrote every day there for the days step to delete: 200,000 dead rows in a table that
          // every report reads, and its pages stay after a vacuum.
          rolledThrough = days.rolled_through;
          continue;
        }
        const [all] = await fold(rollAllAccountsStatement, [horizon]);
        let accounts = all;
        if (!accounts) {
          const [range] = await sql.query(accountsRangeStatement, [horizon, options.chunk ?? 200_000]);
          if (range && BigInt(range.hi) > BigInt(range.lo)) {
            [accounts] = await fold(rollAccountsStatement, [range.lo, range.hi]);
          }
        }
        ledgerSeq = accounts?.ledger_seq ?? ledgerSeq;
        if (!accounts) break;
      }
      return { rolledThrough, ledgerSeq };
    },

    /** Vacuums and analyses the small tables rewritten every second (tidyStatement); a few ms. */
    async tidy(): Promise<void> {
      await sql.query(tidyStatement, []);
    },
  };
});
