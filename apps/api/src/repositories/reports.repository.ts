// Reports over the ledger: stats for a range of days and the reconciliation of the books. System
// accounts (provider, shop, adjustments) have no stored balance to lock: their totals are these sums.
// Money leaves as NUMERIC text; days are UTC.
import { centsToMoney, type TReconciliation, type TStats } from "@shop/contracts";
import { statement } from "@shop/db";
import { NO_PRODUCT } from "./rollups.repository.ts";
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

/** A money sum as integer cents in text (exact; a bigint in JavaScript). */
const cents = (expr: string) => `(COALESCE(${expr}, 0) * 100)::numeric(32,0)::text`;

/** The figures of now in /stats (text: money, counts). */
type Now = { walletsTotal: string; held: string; pending: string; inactive: string; users: string };

/** What a part of /stats sums, by kind and direction, by day, by product; the money in cents. */
interface StatsPart {
  kinds: { kind: string; direction: string; n: string; amount: string }[];
  days: { date: string; sales: string; refunds: string; credits: string }[];
  users: { date: string; n: string }[];
  products: { id: string; n: string; net: string }[];
}

/** The JSON of a StatsPart over `e` (day, kind, direction, n, amount), `u` (day, n) and `p` (product_id, n, net). */
const statsPartJson = `json_build_object(
     'kinds', COALESCE((SELECT json_agg(json_build_object('kind', k.kind, 'direction', k.direction, 'n', k.n::text,
                                                          'amount', ${cents("k.amount")}))
                          FROM (SELECT kind, direction, sum(n) AS n, sum(amount) AS amount FROM e GROUP BY 1, 2) k), '[]'),
     'days', COALESCE((SELECT json_agg(json_build_object('date', to_char(d.day, 'YYYY-MM-DD'), 'sales', ${cents("d.sales")},
                                                         'refunds', ${cents("d.refunds")}, 'credits', ${cents("d.credits")}))
                         FROM (SELECT day, sum(amount) FILTER (WHERE kind = 'purchase') AS sales,
                                      sum(amount) FILTER (WHERE kind = 'refund') AS refunds,
                                      sum(amount) FILTER (WHERE kind = 'credit') AS credits
                                 FROM e GROUP BY day) d), '[]'),
     'users', COALESCE((SELECT json_agg(json_build_object('date', to_char(x.day, 'YYYY-MM-DD'), 'n', x.n::text))
                          FROM (SELECT day, sum(n) AS n FROM u GROUP BY day) x), '[]'),
     'products', COALESCE((SELECT json_agg(json_build_object('id', x.product_id, 'n', x.n::text, 'net', ${cents("x.net")}))
                             FROM (SELECT product_id, COALESCE(sum(n), 0) AS n, sum(net) AS net FROM p GROUP BY 1) x), '[]'))`;

/**
 * /stats' closed days: $1 the range's first day, $2 its last, $3 the first live day (report_state's
 * rolled_through + 1, or NULL before any roll-up). Closed days never change once rolled up, so a
 * process keeps this part until the next day closes (reportsRepository). Per product: its running
 * totals at the range's last closed day minus those before the range's first day (products that moved
 * in the range: hi.day >= d0), two index look-ups per product.
 */
const statsClosedStatement = statement<{ part: StatsPart }>(
  "reports.stats-closed",
  `WITH bounds AS (
     SELECT $1::date AS d0, LEAST($2::date, COALESCE($3::date, $1::date) - 1) AS d1
   ), e AS (
     SELECT d.day, d.kind, d.direction, d.count AS n, d.amount
       FROM ledger_daily_totals d, bounds WHERE d.day >= bounds.d0 AND d.day <= bounds.d1
   ), u AS (
     SELECT d.day, d.count AS n FROM users_daily d, bounds WHERE d.day >= bounds.d0 AND d.day <= bounds.d1
   ), p AS (
     SELECT pr.id AS product_id, hi.count - COALESCE(lo.count, 0) AS n, hi.net - COALESCE(lo.net, 0) AS net
       FROM bounds
       CROSS JOIN products pr
       CROSS JOIN LATERAL (SELECT r.day, r.count, r.net FROM product_running r
                            WHERE r.product_id = pr.id AND r.day <= bounds.d1
                            ORDER BY r.day DESC LIMIT 1) hi
       LEFT JOIN LATERAL (SELECT r.count, r.net FROM product_running r
                           WHERE r.product_id = pr.id AND r.day < bounds.d0
                           ORDER BY r.day DESC LIMIT 1) lo ON true
      WHERE hi.day >= bounds.d0
   )
   SELECT ${statsPartJson} AS part`,
  { custom: true },
);

/**
 * /stats' open days as of the watermark: $1 the range's first day, $2 its last, $3 the watermark, $4 the
 * first live day. ledger_open_days changes only with the watermark, so a process keeps this part until
 * the job folds again (a second or so): the dashboard's repeated calls read it once.
 */
const statsOpenStatement = statement<{ part: StatsPart; stale: boolean }>(
  "reports.stats-open",
  `WITH bounds AS (
     SELECT $2::date AS d1, GREATEST($1::date, COALESCE($4::date, $1::date)) AS live_d0
   ), e AS (
     SELECT o.day, o.kind, o.direction, o.count AS n, o.amount
       FROM ledger_open_days o, bounds WHERE o.day >= bounds.live_d0 AND o.day <= bounds.d1
   ), u AS (
     SELECT NULL::date AS day, 0::int8 AS n WHERE false
   ), p AS (
     SELECT o.product_id, CASE WHEN o.kind = 'purchase' THEN o.count ELSE 0 END AS n,
            CASE WHEN o.kind = 'purchase' THEN o.amount ELSE -o.amount END AS net
       FROM ledger_open_days o, bounds
      WHERE o.day >= bounds.live_d0 AND o.day <= bounds.d1 AND o.kind IN ('purchase', 'refund')
        AND o.product_id <> '${NO_PRODUCT}'::uuid
   )
   SELECT ${stale("$3", "$4")} AS stale, ${statsPartJson} AS part`,
);

/**
 * /stats' live part and its figures of now: $1 the range's first day, $2 its last, $3 the watermark, $4
 * the first live day, $5 products whose titles to return (with those of the products in the live part).
 * The ledger after the watermark, new users of the live days, the users' counts, the money held and in
 * wallets: a second of writes and a few index look-ups, at every call.
 */
const statsLiveStatement = statement<{
  part: StatsPart;
  now: Now;
  titles: { id: string; title: string }[];
  as_of: string;
  stale: boolean;
}>(
  "reports.stats-live",
  `WITH bounds AS (
     SELECT $2::date AS d1, (($2::date + 1)::timestamp AT TIME ZONE 'UTC') AS t1,
            GREATEST($1::date, COALESCE($4::date, $1::date)) AS live_d0
   ), live_rows AS (
     -- The ledger after the watermark on the range's open days (the seq index: a second of writes or so).
     SELECT le.* FROM ledger_entries le, bounds
      WHERE le.seq > $3::int8
        AND le.created_at >= (bounds.live_d0::timestamp AT TIME ZONE 'UTC') AND le.created_at < bounds.t1
   ), e AS (
     SELECT (le.created_at AT TIME ZONE 'UTC')::date AS day, le.kind, le.direction, count(*) AS n,
            sum(le.amount) AS amount
       FROM live_rows le GROUP BY 1, 2, 3
   ), u AS (
     SELECT (x.created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
       FROM users x, bounds
      WHERE x.created_at >= (bounds.live_d0::timestamp AT TIME ZONE 'UTC') AND x.created_at < bounds.t1
      GROUP BY 1
   ), p AS (
     SELECT le.product_id, count(*) FILTER (WHERE le.kind = 'purchase') AS n,
            sum(CASE WHEN le.kind = 'purchase' THEN le.amount ELSE -le.amount END) AS net
       FROM live_rows le
      WHERE le.kind IN ('purchase', 'refund') AND le.product_id IS NOT NULL
      GROUP BY 1
   )
   SELECT ${AS_OF} AS as_of, ${stale("$3", "$4")} AS stale, ${statsPartJson} AS part,
          COALESCE((SELECT json_agg(json_build_object('id', pr.id, 'title', pr.title)) FROM products pr
                     WHERE pr.id IN (SELECT unnest($5::uuid[]) UNION SELECT product_id FROM p)), '[]') AS titles,
          json_build_object(
            -- Σ balances: the total as of the watermark + the ledger after it (no account read; the
            -- stored balances against the ledger are the reconciliation's to check).
            'walletsTotal', (SELECT ${money("st.wallets_total + COALESCE((SELECT sum(CASE WHEN x.direction = 'in' THEN x.amount ELSE -x.amount END) FROM ledger_entries x WHERE x.seq > $3::int8), 0)")}
                               FROM report_state st WHERE st.id = 1),
            'held', ${HELD_NOW},
            -- The inactive users are few: index-only scans of two partial indexes (users_inactive_idx,
            -- users_pending_idx: the pending of statusOf); all users = sum(user_counts).
            'inactive', (SELECT count(*) FROM users x WHERE NOT x.is_active)::text,
            'pending', (SELECT count(*) FROM users x
                         WHERE NOT x.is_active AND x.activated_at IS NULL AND x.activation_token_hash IS NOT NULL)::text,
            'users', (SELECT sum(n) FROM user_counts)::text) AS now`,
);

/** The titles of top products the live statement did not return (read at every answer: a product renamed since shows its new title). */
const productTitlesStatement = statement<{ id: string; title: string }>(
  "reports.product-titles",
  `SELECT id::text, title FROM products WHERE id = ANY($1::uuid[])`,
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

/** Two rows of sums added column by column. */
const plus = (a: bigint[], b: bigint[]) => a.map((v, i) => v + b[i]!);

/** Adds a part's sums into `into`, keyed; the money in integer cents. */
function addInto<K>(into: Map<K, bigint[]>, key: K, values: bigint[]) {
  const had = into.get(key);
  into.set(key, had ? plus(had, values) : values);
}

/** What parts of /stats sum to, keyed: by kind and direction [n, cents], by day [sales, refunds, credits], new users by day [n], by product [n, net]. */
interface StatsSums {
  byKind: Map<string, bigint[]>;
  byDay: Map<string, bigint[]>;
  usersByDay: Map<string, bigint[]>;
  byProduct: Map<string, bigint[]>;
}

function sumParts(parts: StatsPart[]): StatsSums {
  const sums: StatsSums = { byKind: new Map(), byDay: new Map(), usersByDay: new Map(), byProduct: new Map() };
  for (const part of parts) {
    for (const k of part.kinds) addInto(sums.byKind, `${k.kind}/${k.direction}`, [BigInt(k.n), BigInt(k.amount)]);
    for (const d of part.days) addInto(sums.byDay, d.date, [BigInt(d.sales), BigInt(d.refunds), BigInt(d.credits)]);
    for (const u of part.users) addInto(sums.usersByDay, u.date, [BigInt(u.n)]);
    for (const p of part.products) addInto(sums.byProduct, p.id, [BigInt(p.n), BigInt(p.net)]);
  }
  return sums;
}

/** Products by net revenue, then by id (uuids compare as their text does). */
const byRevenue = ([a, x]: [string, bigint[]], [b, y]: [string, bigint[]]) =>
  x[1]! > y[1]! ? -1 : x[1]! < y[1]! ? 1 : a < b ? -1 : a > b ? 1 : 0;

const DAY_MS = 86_400_000;
const TOP_PRODUCTS = 10;

/** A day of /stats' series from its sums. */
function dayRow(
  date: string,
  [sales = 0n, refunds = 0n, credits = 0n]: bigint[],
  newUsers: bigint,
): TStats["daily"][number] {
  return {
    date,
    sales: centsToMoney(sales),
    refunds: centsToMoney(refunds),
    credits: centsToMoney(credits),
    newUsers: Number(newUsers),
  };
}

/**
 * /stats' kept parts (the closed days, the open days as of a watermark) merged once: their sums, the
 * products ranked, the series formatted. A call then merges only its live part (a second of writes) into
 * it: the days and products that part touched, not the range's 366 days and every product.
 */
interface StatsBase extends StatsSums {
  ranked: [string, bigint[]][];
  daily: TStats["daily"];
}

function baseOf(from: string, to: string, parts: StatsPart[]): StatsBase {
  const sums = sumParts(parts);
  const daily: TStats["daily"] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) {
    const date = new Date(t).toISOString().slice(0, 10);
    daily.push(dayRow(date, sums.byDay.get(date) ?? [], sums.usersByDay.get(date)?.[0] ?? 0n));
  }
  return { ...sums, ranked: [...sums.byProduct.entries()].sort(byRevenue), daily };
}

/** /stats from its kept parts' base and its live part: exact (integer cents), the shape of TStats. */
function mergeStats(from: string, to: string, base: StatsBase, live: StatsPart, now: Now) {
  const add = (a: bigint[] | undefined, b: bigint[] | undefined) => (a && b ? plus(a, b) : (a ?? b ?? []));
  const fresh = sumParts([live]);
  const sum = (k: string, directions: string[], i: number) =>
    directions.reduce(
      (total, d) => total + (base.byKind.get(`${k}/${d}`)?.[i] ?? 0n) + (fresh.byKind.get(`${k}/${d}`)?.[i] ?? 0n),
      0n,
    );
  const both = ["in", "out"];
  const sales = sum("purchase", both, 1);
  const refunds = sum("refund", both, 1);
  // The kept series, with the days the live part touched formatted again.
  const daily = base.daily.slice();
  const first = Date.parse(`${from}T00:00:00Z`);
  for (const date of new Set([...fresh.byDay.keys(), ...fresh.usersByDay.keys()])) {
    const i = (Date.parse(`${date}T00:00:00Z`) - first) / DAY_MS;
    if (!(i >= 0 && i < daily.length)) continue;
    const users = add(base.usersByDay.get(date), fresh.usersByDay.get(date))[0] ?? 0n;
    daily[i] = dayRow(date, add(base.byDay.get(date), fresh.byDay.get(date)), users);
  }
  // The top: the products the live part touched, with their new sums, and the first ten of the others in
  // the kept ranking (a product the live part did not touch keeps its rank among the untouched).
  const candidates: [string, bigint[]][] = [];
  for (const [id, values] of fresh.byProduct) candidates.push([id, add(base.byProduct.get(id), values)]);
  let untouched = 0;
  for (const entry of base.ranked) {
    if (untouched === TOP_PRODUCTS) break;
    if (fresh.byProduct.has(entry[0])) continue;
    candidates.push(entry);
    untouched++;
  }
  const top = candidates.sort(byRevenue).slice(0, TOP_PRODUCTS);
  const stats = {
    from,
    to,
    totals: {
      sales: centsToMoney(sales),
      salesCount: Number(sum("purchase", both, 0)),
      refunds: centsToMoney(refunds),
      netRevenue: centsToMoney(sales - refunds),
      credits: centsToMoney(sum("credit", both, 1)),
      creditsCount: Number(sum("credit", both, 0)),
      adjustmentsIn: centsToMoney(sum("adjustment", ["in"], 1)),
      adjustmentsOut: centsToMoney(sum("adjustment", ["out"], 1)),
      walletsTotal: now.walletsTotal,
      held: now.held,
      users: {
        pending: Number(now.pending),
        active: Number(now.users) - Number(now.inactive),
        disabled: Number(now.inactive) - Number(now.pending),
      },
    },
    daily,
  };
  return { stats, top: top.map(([id, [n, net]]) => ({ id, count: Number(n), netRevenue: centsToMoney(net!) })) };
}

/** How many ranges' closed parts and merged bases a process keeps: the dashboard asks a few ranges again and again. */
const PARTS_KEPT = 64;

export const reportsRepository = perDb(({ sql }) => {
  /**
   * The closed part of /stats per range and first live day: closed days never change once rolled up,
   * so a part is reused until report_state.rolled_through moves (once a day); the oldest go first.
   */
  const closedParts = new Map<string, StatsPart>();
  /**
   * The kept parts merged (the closed days and the open days as of the watermark) per range, for the
   * latest watermark read: reused until the job folds again (a second or so), by every call in between.
   */
  const bases = new Map<string, { state: string; base: StatsBase }>();
  const keep = <T>(kept: Map<string, T>, key: string, value: T) => {
    kept.set(key, value);
    if (kept.size > PARTS_KEPT) kept.delete(kept.keys().next().value!);
  };
  /** The roll-ups' state the last report found current: the next report tries it first. */
  let lastState: [string, string | null] | undefined;
  /**
   * Runs a report with the roll-ups' state as parameters, again if the job moved it meanwhile. The
   * first try takes the state the last report found (the job moves it about once a second, so most
   * reports save the round trip that reads it); a report that finds it stale reads it.
   */
  async function withState<Row extends { stale: boolean }>(
    run: (state: [string, string | null]) => Promise<Row[]>,
  ): Promise<Row> {
    for (let attempt = 0; ; attempt++) {
      let state = attempt === 0 ? lastState : undefined;
      if (!state) {
        const [read] = await sql.query(stateStatement, []);
        state = [read!.ledger_seq, read!.live_from];
      }
      const [row] = await run(state);
      if (!row!.stale) lastState = state;
      if (!row!.stale || attempt >= 5) return row!;
    }
  }
  return {
    /**
     * The closed days and the open days as of the watermark from the process's caches (or the
     * roll-ups), the ledger after the watermark live; merged exactly.
     */
    async stats(from: string, to: string): Promise<TStats> {
      let base: StatsBase | undefined;
      const row = await withState(async ([watermark, liveFrom]) => {
        const range = `${from}/${to}`;
        const state = `${watermark}/${liveFrom}`;
        base = bases.get(range)?.state === state ? bases.get(range)!.base : undefined;
        if (!base) {
          const closedKey = `${from}/${to}/${liveFrom}`;
          let closed = closedParts.get(closedKey);
          if (!closed) {
            [{ part: closed }] = (await sql.query(statsClosedStatement, [from, to, liveFrom])) as [{ part: StatsPart }];
            keep(closedParts, closedKey, closed);
          }
          const [open] = await sql.query(statsOpenStatement, [from, to, watermark, liveFrom]);
          base = baseOf(from, to, [closed, open!.part]);
          // Kept only when read at this watermark (the live part then finds the state moved too, and
          // withState asks again).
          if (!open!.stale) {
            bases.delete(range);
            keep(bases, range, { state, base });
          }
        }
        // The titles of the kept ranking's first products come back with the live part (with those of
        // the products it touched): the top is nearly always among them.
        const likely = base.ranked.slice(0, 2 * TOP_PRODUCTS).map(([id]) => id);
        return sql.query(statsLiveStatement, [from, to, watermark, liveFrom, `{${likely.join(",")}}`]);
      });
      const { stats, top } = mergeStats(from, to, base!, row.part, row.now);
      // The top products' titles as they are now (a product renamed since shows its new title).
      const titles = new Map(row.titles.map((t) => [t.id, t.title] as const));
      const missing = top.filter((p) => !titles.has(p.id)).map((p) => p.id);
      if (missing.length > 0) {
        for (const t of await sql.query(productTitlesStatement, [`{${missing.join(",")}}`])) titles.set(t.id, t.title);
      }
      return {
        asOf: row.as_of,
        ...stats,
        topProducts: top.map((p) => ({
          productId: p.id,
          title: titles.get(p.id) ?? "",
          count: p.count,
          netRevenue: p.netRevenue,
        })),
      };
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
