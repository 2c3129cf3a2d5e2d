// Reports over the ledger: stats for a range of days and the reconciliation of the books. System
// accounts (provider, shop, adjustments) have no stored balance to lock: their totals are these sums.
// Money leaves as NUMERIC text; days are UTC.
import type { TReconciliation, TStats } from "@shop/contracts";
import { statement } from "@shop/db";
import { perDb } from "./shared.ts";

const money = (expr: string) => `COALESCE(${expr}, 0)::numeric(20,2)::text`;

/**
 * The money held now: the unexpired authorized holds, by the live rule of ledger.repository.ts (`liveHeld`),
 * so a hold stops counting at its expiresAt whatever a sweep did. Reads authorizations_live_expires_at_idx
 * (partial on status = 'authorized') from now on: the unexpired holds only, never the ended ones nor the
 * expired ones not yet released. `expires_at > now()` is what the index can range on (clock_timestamp() is
 * volatile, never an index bound); it is implied by the live rule (now() <= clock_timestamp()).
 */
const HELD_NOW = `(SELECT ${money("sum(h.amount)")} FROM authorizations h
                   WHERE h.status = 'authorized' AND h.expires_at > now() AND h.expires_at > clock_timestamp())`;

/**
 * The instant the figures are true at: now on the primary or a caught-up replica; on a replica that is
 * behind, the commit time of the last transaction it replayed (DATABASE_READ_URL).
 */
const AS_OF = `to_char((CASE WHEN pg_is_in_recovery() AND pg_last_wal_receive_lsn() IS DISTINCT FROM pg_last_wal_replay_lsn()
                        THEN COALESCE(pg_last_xact_replay_timestamp(), now()) ELSE now() END) AT TIME ZONE 'UTC',
                  'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The roll-ups' state is read first (stateStatement) and passed in as parameters, so that the planner
 * sees the watermark and the first live day as values (a value from a CTE is estimated as a third of the
 * table, and the plan reads all of it); each report checks in its own snapshot that the state is still
 * the one it was given (`stale`: the job ran in between; the repository asks again).
 */
const stateStatement = statement<{ ledger_seq: string; live_from: string | null }>(
  "reports.state",
  `SELECT ledger_seq::text, to_char(rolled_through + 1, 'YYYY-MM-DD') AS live_from FROM report_state WHERE id = 1`,
);
/** True when report_state moved from the watermark `w` and first live day `l` (placeholders) it was read at. */
const stale = (w: string, l: string) =>
  `(SELECT ledger_seq <> ${w}::int8 OR rolled_through + 1 IS DISTINCT FROM ${l}::date FROM report_state WHERE id = 1)`;

/**
 * What the roll-ups do not hold yet, as CTEs over `st` (report_state): `live` each account's ledger
 * movement after the watermark, `touched` those accounts now (stored balance, ledger sum, balance at the
 * last check), `wallets` Σ balances = the total at the watermark + what the touched accounts moved since.
 */
const liveAccounts = (w: string) => `live AS (
     SELECT e.account_id, sum(CASE WHEN e.direction = 'in' THEN e.amount ELSE -e.amount END) AS delta
       FROM ledger_entries e WHERE e.seq > ${w}::int8
      GROUP BY e.account_id
   ), touched AS (
     SELECT l.account_id, a.balance, COALESCE(c.ledger, 0) + l.delta AS ledger, COALESCE(c.balance, 0) AS old_balance
       FROM live l JOIN accounts a ON a.id = l.account_id LEFT JOIN account_checks c ON c.account_id = l.account_id
   ), wallets AS (
     SELECT st.wallets_total + COALESCE((SELECT sum(balance - old_balance) FROM touched), 0) AS total FROM st
   )`;

/**
 * Stats for the days $1 to $2 (dates, both included, UTC), $3 the watermark, $4 the first live day: closed
 * days from the roll-ups (ledger_daily_totals, users_daily, product_running), the days after the last
 * roll-up (today, normally) from the ledger itself. One statement, one JSON value. Nothing here grows with
 * history: at most 366 days × a few kinds, two index look-ups per product, and today's ledger.
 */
const statsStatement = statement<{ stats: Omit<TStats, "asOf">; as_of: string; stale: boolean }>(
  "reports.stats",
  `WITH st AS (
     SELECT * FROM report_state WHERE id = 1
   ), bounds AS (
     SELECT $1::date AS d0, $2::date AS d1, (($2::date + 1)::timestamp AT TIME ZONE 'UTC') AS t1,
            GREATEST($1::date, COALESCE($4::date, $1::date)) AS live_d0
   ), live_rows AS (
     -- The ledger after the watermark on the range's open days (the seq index: a second of writes or so).
     SELECT le.* FROM ledger_entries le, bounds
      WHERE le.seq > $3::int8
        AND le.created_at >= (bounds.live_d0::timestamp AT TIME ZONE 'UTC') AND le.created_at < bounds.t1
   ), e AS (
     -- Down to one row per day, kind and direction: the roll-up's closed days, the open days as of the
     -- watermark, then the ledger after it.
     SELECT d.day, d.kind, d.direction, d.count AS n, d.amount
       FROM ledger_daily_totals d, bounds
      WHERE d.day >= bounds.d0 AND d.day <= bounds.d1 AND d.day < bounds.live_d0
     UNION ALL
     SELECT o.day, o.kind, o.direction, sum(o.count), sum(o.amount)
       FROM ledger_open_days o, bounds
      WHERE o.day >= bounds.live_d0 AND o.day <= bounds.d1
      GROUP BY 1, 2, 3
     UNION ALL
     SELECT (le.created_at AT TIME ZONE 'UTC')::date, le.kind, le.direction, count(*), sum(le.amount)
       FROM live_rows le
      GROUP BY 1, 2, 3
   ), totals AS (
     SELECT sum(amount) FILTER (WHERE kind = 'purchase') AS sales,
            sum(n) FILTER (WHERE kind = 'purchase') AS sales_count,
            sum(amount) FILTER (WHERE kind = 'refund') AS refunds,
            sum(amount) FILTER (WHERE kind = 'credit') AS credits,
            sum(n) FILTER (WHERE kind = 'credit') AS credits_count,
            sum(amount) FILTER (WHERE kind = 'adjustment' AND direction = 'in') AS adj_in,
            sum(amount) FILTER (WHERE kind = 'adjustment' AND direction = 'out') AS adj_out
       FROM e
   ), per_day AS (
     SELECT day, sum(amount) FILTER (WHERE kind = 'purchase') AS sales,
            sum(amount) FILTER (WHERE kind = 'refund') AS refunds,
            sum(amount) FILTER (WHERE kind = 'credit') AS credits
       FROM e GROUP BY day
   ), product_moves AS (
     -- Each product's closed days in the range: its running totals at the range's last closed day minus
     -- those before the range's first day (only products that moved in the range: hi.day >= d0) ...
     SELECT pr.id AS product_id, hi.count - COALESCE(lo.count, 0) AS n, hi.net - COALESCE(lo.net, 0) AS net
       FROM bounds
       CROSS JOIN products pr
       CROSS JOIN LATERAL (SELECT r.day, r.count, r.net FROM product_running r
                            WHERE r.product_id = pr.id AND r.day <= LEAST(bounds.d1, bounds.live_d0 - 1)
                            ORDER BY r.day DESC LIMIT 1) hi
       LEFT JOIN LATERAL (SELECT r.count, r.net FROM product_running r
                           WHERE r.product_id = pr.id AND r.day < bounds.d0
                           ORDER BY r.day DESC LIMIT 1) lo ON true
      WHERE hi.day >= bounds.d0
     UNION ALL
     -- ... the open days' ...
     SELECT o.product_id, sum(o.count) FILTER (WHERE o.kind = 'purchase'),
            sum(CASE WHEN o.kind = 'purchase' THEN o.amount ELSE -o.amount END)
       FROM ledger_open_days o, bounds
      WHERE o.day >= bounds.live_d0 AND o.day <= bounds.d1 AND o.kind IN ('purchase', 'refund')
      GROUP BY 1
     UNION ALL
     -- ... and the ledger's after the watermark.
     SELECT le.product_id, count(*) FILTER (WHERE le.kind = 'purchase'),
            sum(CASE WHEN le.kind = 'purchase' THEN le.amount ELSE -le.amount END)
       FROM live_rows le
      WHERE le.kind IN ('purchase', 'refund') AND le.product_id IS NOT NULL
      GROUP BY 1
   ), top AS (
     SELECT product_id, COALESCE(sum(n), 0) AS n, sum(net) AS net
       FROM product_moves
      GROUP BY product_id
      ORDER BY net DESC, product_id
      LIMIT 10
   ), new_users AS (
     SELECT d.day, d.count AS n FROM users_daily d, bounds
      WHERE d.day >= bounds.d0 AND d.day <= bounds.d1 AND d.day < bounds.live_d0
     UNION ALL
     SELECT (u.created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
       FROM users u, bounds
      WHERE u.created_at >= (bounds.live_d0::timestamp AT TIME ZONE 'UTC') AND u.created_at < bounds.t1
      GROUP BY 1
   ), days AS (
     SELECT g::date AS day FROM bounds, generate_series(bounds.d0, bounds.d1, interval '1 day') g
   ), wallets AS (
     -- Σ balances: the total as of the watermark + the ledger after it (no account read; the stored
     -- balances against the ledger are the reconciliation's to check).
     SELECT st.wallets_total + COALESCE((SELECT sum(CASE WHEN le.direction = 'in' THEN le.amount ELSE -le.amount END)
                                           FROM ledger_entries le WHERE le.seq > $3::int8), 0) AS total
       FROM st
   ), inactive AS (
     -- The inactive users are few: counted by index-only scans of two partial indexes (users_inactive_idx,
     -- users_pending_idx: the pending of statusOf); disabled = inactive − pending, active = all
     -- (user_counts) − inactive.
     SELECT (SELECT count(*) FROM users u WHERE NOT u.is_active) AS n,
            (SELECT count(*) FROM users u
              WHERE NOT u.is_active AND u.activated_at IS NULL AND u.activation_token_hash IS NOT NULL) AS pending
   )
   SELECT ${AS_OF} AS as_of, ${stale("$3", "$4")} AS stale, json_build_object(
     'from', to_char((SELECT d0 FROM bounds), 'YYYY-MM-DD'),
     'to', to_char((SELECT d1 FROM bounds), 'YYYY-MM-DD'),
     'totals', (SELECT json_build_object(
        'sales', ${money("t.sales")}, 'salesCount', COALESCE(t.sales_count, 0)::int4, 'refunds', ${money("t.refunds")},
        'netRevenue', ${money("COALESCE(t.sales, 0) - COALESCE(t.refunds, 0)")},
        'credits', ${money("t.credits")}, 'creditsCount', COALESCE(t.credits_count, 0)::int4,
        'adjustmentsIn', ${money("t.adj_in")}, 'adjustmentsOut', ${money("t.adj_out")},
        'walletsTotal', (SELECT ${money("total")} FROM wallets),
        'held', ${HELD_NOW},
        'users', (SELECT json_build_object(
            'pending', i.pending::int4,
            'active', ((SELECT sum(n) FROM user_counts) - i.n)::int4,
            'disabled', (i.n - i.pending)::int4)
          FROM inactive i))
        FROM totals t),
     'daily', (SELECT json_agg(json_build_object(
        'date', to_char(days.day, 'YYYY-MM-DD'), 'sales', ${money("p.sales")}, 'refunds', ${money("p.refunds")},
        'credits', ${money("p.credits")}, 'newUsers', COALESCE(nu.n, 0)::int4) ORDER BY days.day)
        FROM days LEFT JOIN per_day p ON p.day = days.day LEFT JOIN new_users nu ON nu.day = days.day),
     'topProducts', COALESCE((SELECT json_agg(json_build_object(
        'productId', top.product_id, 'title', pr.title, 'count', top.n::int4, 'netRevenue', ${money("top.net")})
        ORDER BY top.net DESC, top.product_id)
        FROM top JOIN products pr ON pr.id = top.product_id), '[]')
   ) AS stats`,
);

/**
 * The books, from the roll-ups: Σ wallets (the watermark's total + what moved since) against the
 * ledger's totals (the closed days' running sums + the ledger after them), and every account whose stored
 * balance differs from its ledger sum — the stored checks' differences, with the accounts touched since
 * the watermark checked live (at most 100 listed). Exact for every write that goes through the ledger; a
 * balance changed behind the ledger's back is what the full check (below) is for.
 */
/** $1 the watermark, $2 the first live day (stateStatement). */
const reconciliationStatement = statement<{ report: Omit<TReconciliation, "asOf">; as_of: string; stale: boolean }>(
  "reports.reconciliation",
  `WITH st AS (
     SELECT * FROM report_state WHERE id = 1
   ), after_days AS (
     -- The days after the closed ones: the open days as of the watermark, then the ledger after it.
     SELECT sum(amount) FILTER (WHERE kind = 'credit') AS credits,
            sum(amount) FILTER (WHERE kind = 'purchase') AS sales,
            sum(amount) FILTER (WHERE kind = 'refund') AS refunds,
            sum(amount) FILTER (WHERE kind = 'adjustment' AND direction = 'in') AS adj_in,
            sum(amount) FILTER (WHERE kind = 'adjustment' AND direction = 'out') AS adj_out
       FROM (SELECT o.kind, o.direction, o.amount FROM ledger_open_days o
              WHERE o.day >= COALESCE($2::date, '-infinity')
             UNION ALL
             SELECT e.kind, e.direction, e.amount FROM ledger_entries e
              WHERE e.seq > $1::int8
                AND e.created_at >= COALESCE(($2::date)::timestamp AT TIME ZONE 'UTC', '-infinity')) d
   ), t AS (
     SELECT st.credits + COALESCE(d.credits, 0) AS credits, st.sales + COALESCE(d.sales, 0) AS sales,
            st.refunds + COALESCE(d.refunds, 0) AS refunds, st.adjustments_in + COALESCE(d.adj_in, 0) AS adj_in,
            st.adjustments_out + COALESCE(d.adj_out, 0) AS adj_out
       FROM st, after_days d
   ), ${liveAccounts("$1")}, mismatches AS (
     SELECT * FROM (
       -- The stored differences (account_checks_mismatch_idx; the LIMIT also tells the planner they are few).
       SELECT c.account_id AS id, (SELECT a.balance FROM accounts a WHERE a.id = c.account_id) AS balance, c.ledger
         FROM (SELECT account_id, ledger FROM account_checks WHERE balance <> ledger ORDER BY account_id LIMIT 200) c
        WHERE NOT EXISTS (SELECT 1 FROM touched WHERE touched.account_id = c.account_id)
       UNION ALL
       SELECT account_id, balance, ledger FROM touched WHERE balance <> ledger
     ) m
      ORDER BY id
      LIMIT 100
   )
   SELECT ${AS_OF} AS as_of, ${stale("$1", "$2")} AS stale, json_build_object(
     'balanced', w.total = t.credits - t.sales + t.refunds + t.adj_in - t.adj_out
                 AND NOT EXISTS (SELECT 1 FROM mismatches),
     'walletsTotal', ${money("w.total")}, 'held', ${HELD_NOW}, 'providerCredits', ${money("t.credits")}, 'sales', ${money("t.sales")},
     'refunds', ${money("t.refunds")}, 'adjustmentsIn', ${money("t.adj_in")}, 'adjustmentsOut', ${money("t.adj_out")},
     'mismatches', COALESCE((SELECT json_agg(json_build_object(
        'accountId', m.id, 'storedBalance', ${money("m.balance")}, 'ledgerBalance', ${money("m.ledger")})
        ORDER BY m.id) FROM mismatches m), '[]')
   ) AS report
     FROM t, wallets w`,
);

/**
 * The auditor's full check: every account's stored balance against the sum of its whole ledger, and the
 * ledger's totals over all of it, ignoring the roll-ups (one pass over the ledger: about 40 s at 10 M rows).
 */
const fullReconciliationStatement = statement<{ report: Omit<TReconciliation, "asOf">; as_of: string }>(
  "reports.reconciliation-full",
  `WITH per_account AS (
     -- One pass over the ledger: each account's sums by kind, and its ledger balance.
     SELECT account_id,
            sum(amount) FILTER (WHERE kind = 'credit') AS credits,
            sum(amount) FILTER (WHERE kind = 'purchase') AS sales,
            sum(amount) FILTER (WHERE kind = 'refund') AS refunds,
            sum(amount) FILTER (WHERE kind = 'adjustment' AND direction = 'in') AS adj_in,
            sum(amount) FILTER (WHERE kind = 'adjustment' AND direction = 'out') AS adj_out,
            sum(CASE WHEN direction = 'in' THEN amount ELSE -amount END) AS ledger
       FROM ledger_entries GROUP BY account_id
   ), totals AS (
     SELECT sum(credits) AS credits, sum(sales) AS sales, sum(refunds) AS refunds, sum(adj_in) AS adj_in,
            sum(adj_out) AS adj_out
       FROM per_account
   ), wallets AS (
     SELECT COALESCE(sum(balance), 0) AS total FROM accounts
   ), mismatches AS (
     SELECT a.id, a.balance, COALESCE(p.ledger, 0) AS ledger
       FROM accounts a LEFT JOIN per_account p ON p.account_id = a.id
      WHERE a.balance <> COALESCE(p.ledger, 0)
      ORDER BY a.id
      LIMIT 100
   )
   SELECT ${AS_OF} AS as_of, json_build_object(
     'balanced', w.total = COALESCE(t.credits, 0) - COALESCE(t.sales, 0) + COALESCE(t.refunds, 0)
                           + COALESCE(t.adj_in, 0) - COALESCE(t.adj_out, 0)
                 AND NOT EXISTS (SELECT 1 FROM mismatches),
     'walletsTotal', ${money("w.total")}, 'held', ${HELD_NOW}, 'providerCredits', ${money("t.credits")}, 'sales', ${money("t.sales")},
     'refunds', ${money("t.refunds")}, 'adjustmentsIn', ${money("t.adj_in")}, 'adjustmentsOut', ${money("t.adj_out")},
     'mismatches', COALESCE((SELECT json_agg(json_build_object(
        'accountId', m.id, 'storedBalance', ${money("m.balance")}, 'ledgerBalance', ${money("m.ledger")})
        ORDER BY m.id) FROM mismatches m), '[]')
   ) AS report
     FROM totals t, wallets w`,
);

export const reportsRepository = perDb(({ sql }) => {
  /** Runs a report with the roll-ups' state as parameters, again if the job moved it meanwhile. */
  async function withState<Row extends { stale: boolean }>(
    run: (state: [string, string | null]) => Promise<Row[]>,
  ): Promise<Row> {
    for (let attempt = 0; ; attempt++) {
      const [state] = await sql.query(stateStatement, []);
      const [row] = await run([state!.ledger_seq, state!.live_from]);
      if (!row!.stale || attempt >= 5) return row!;
    }
  }
  return {
    async stats(from: string, to: string): Promise<TStats> {
      const row = await withState((state) => sql.query(statsStatement, [from, to, ...state]));
      return { asOf: row.as_of, ...row.stats };
    },

    /** From the roll-ups and the live ledger after them; `full`: the auditor's pass over the whole ledger. */
    async reconciliation(options: { full?: boolean } = {}): Promise<TReconciliation> {
      if (options.full) {
        const [row] = await sql.query(fullReconciliationStatement, []);
        return { asOf: row!.as_of, ...row!.report };
      }
      const row = await withState((state) => sql.query(reconciliationStatement, state));
      return { asOf: row.as_of, ...row.report };
    },
  };
});
