// Reports over the ledger: stats for a range of days and the reconciliation of the books. System
// accounts (provider, shop, adjustments) have no stored balance to lock: their totals are these sums.
// Money leaves as NUMERIC text; days are UTC.
import type { TReconciliation, TStats } from "@shop/contracts";
import { statement } from "@shop/db";
import { statusOf } from "./users.repository.ts";
import { perDb } from "./shared.ts";

const money = (expr: string) => `COALESCE(${expr}, 0)::numeric(20,2)::text`;

/** Stats for the days $1 to $2 (dates, both included, UTC). One statement, one JSON value. */
const statsStatement = statement<{ stats: Omit<TStats, "asOf"> }>(
  "reports.stats",
  `WITH bounds AS (
     SELECT $1::date AS d0, $2::date AS d1,
            ($1::date::timestamp AT TIME ZONE 'UTC') AS t0, (($2::date + 1)::timestamp AT TIME ZONE 'UTC') AS t1
   ), e AS (
     -- One pass over the range's ledger rows, down to one row per day, kind, direction and product
     -- (a few thousand at most); everything below reads this.
     SELECT (le.created_at AT TIME ZONE 'UTC')::date AS day, le.kind, le.direction, le.product_id,
            count(*) AS n, sum(le.amount) AS amount
       FROM ledger_entries le, bounds
      WHERE le.created_at >= bounds.t0 AND le.created_at < bounds.t1
      GROUP BY 1, 2, 3, 4
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
   ), new_users AS (
     SELECT (u.created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
       FROM users u, bounds WHERE u.created_at >= bounds.t0 AND u.created_at < bounds.t1
      GROUP BY 1
   ), days AS (
     SELECT g::date AS day FROM bounds, generate_series(bounds.d0, bounds.d1, interval '1 day') g
   ), top AS (
     SELECT e.product_id, COALESCE(sum(e.n) FILTER (WHERE e.kind = 'purchase'), 0) AS n,
            sum(CASE WHEN e.kind = 'purchase' THEN e.amount ELSE -e.amount END) AS net
       FROM e WHERE e.kind IN ('purchase', 'refund')
      GROUP BY e.product_id
      ORDER BY net DESC, e.product_id
      LIMIT 10
   )
   SELECT json_build_object(
     'from', to_char((SELECT d0 FROM bounds), 'YYYY-MM-DD'),
     'to', to_char((SELECT d1 FROM bounds), 'YYYY-MM-DD'),
     'totals', (SELECT json_build_object(
        'sales', ${money("t.sales")}, 'salesCount', COALESCE(t.sales_count, 0)::int4, 'refunds', ${money("t.refunds")},
        'netRevenue', ${money("COALESCE(t.sales, 0) - COALESCE(t.refunds, 0)")},
        'credits', ${money("t.credits")}, 'creditsCount', COALESCE(t.credits_count, 0)::int4,
        'adjustmentsIn', ${money("t.adj_in")}, 'adjustmentsOut', ${money("t.adj_out")},
        'walletsTotal', (SELECT ${money("sum(balance)")} FROM accounts),
        'users', (SELECT json_build_object(
            'pending', count(*) FILTER (WHERE s = 'pending')::int4,
            'active', count(*) FILTER (WHERE s = 'active')::int4,
            'disabled', count(*) FILTER (WHERE s = 'disabled')::int4)
          FROM (SELECT ${statusOf("u")} AS s FROM users u) statuses))
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
 * The books: Σ wallets against the ledger's totals, and every account whose stored balance differs from
 * its ledger sum (at most 100 listed).
 */
const reconciliationStatement = statement<{ report: Omit<TReconciliation, "asOf"> }>(
  "reports.reconciliation",
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
   SELECT json_build_object(
     'balanced', w.total = COALESCE(t.credits, 0) - COALESCE(t.sales, 0) + COALESCE(t.refunds, 0)
                           + COALESCE(t.adj_in, 0) - COALESCE(t.adj_out, 0)
                 AND NOT EXISTS (SELECT 1 FROM mismatches),
     'walletsTotal', ${money("w.total")}, 'providerCredits', ${money("t.credits")}, 'sales', ${money("t.sales")},
     'refunds', ${money("t.refunds")}, 'adjustmentsIn', ${money("t.adj_in")}, 'adjustmentsOut', ${money("t.adj_out")},
     'mismatches', COALESCE((SELECT json_agg(json_build_object(
        'accountId', m.id, 'storedBalance', ${money("m.balance")}, 'ledgerBalance', ${money("m.ledger")})
        ORDER BY m.id) FROM mismatches m), '[]')
   ) AS report
     FROM totals t, wallets w`,
);

export const reportsRepository = perDb(({ sql }) => ({
  async stats(from: string, to: string): Promise<Omit<TStats, "asOf">> {
    const [row] = await sql.query(statsStatement, [from, to]);
    return row!.stats;
  },

  async reconciliation(): Promise<Omit<TReconciliation, "asOf">> {
    const [row] = await sql.query(reconciliationStatement, []);
    return row!.report;
  },
}));
