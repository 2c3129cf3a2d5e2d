// What the repositories share: keyset pages with a total, LIKE escaping and times written in SQL.
import { type Db, type SqlClient, type SqlValue, type Statement, statement } from "@shop/db";
import { AppError } from "../errors.ts";

/** A time as the API writes it (Date.prototype.toISOString's format), computed in SQL. */
export const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// ── Listings: keyset pages ──────────────────────────────────────────────────────────────────────────
//
// A listing is built per request from the conditions actually present (never `($n IS NULL OR col = $n)`:
// a generic prepared plan of that shape cannot use the column's index — TOOLCHAIN.md). Each shape (which
// filters, which sort, which way, cursor or offset) is its own named statement, so PostgreSQL plans it
// once per connection with the index it needs. Pages go by keyset: a cursor names the sort key of the
// row a page ended (or began) at, and the next page is `(key, tiebreak) < (that key)` in index order: it
// reads `limit + 1` rows whatever the depth, and rows inserted meanwhile never shift it.

/** How a sort key is written back into SQL from a cursor (and checked before it gets there). */
export type KeyCast = "int8" | "text" | "timestamptz" | "numeric";

/** One column of a sort: an expression over the listing's FROM and its type. */
export interface SortKey {
  expr: string;
  cast: KeyCast;
}

export interface KeysetListing<Sort extends string = string> {
  /** Names the statements (`<name>.<sort>.<order>…`) and is carried by its cursors. */
  name: string;
  /** The columns of a row. */
  select: string;
  /** The rows (FROM with any joins). */
  from: string;
  /** A row's unique id (e.g. `u.id`): an offset page finds its rows by id first, then builds only them. */
  rowId: string;
  /** FROM for the total: the same rows without joins that only add columns (default `from`). */
  countFrom?: string;
  /**
   * Each sort's keys, most significant first; the last one is unique (the tiebreak), so a key names
   * one row. Every key follows the sort's direction, so one index on the keys serves both ways.
   */
  sorts: Record<Sort, readonly SortKey[]>;
}

/** A condition of a listing: a name for its shape, its SQL with `$` placeholders given, and its values. */
export interface Condition {
  name: string;
  sql: (...placeholders: string[]) => string;
  values: readonly SqlValue[];
  /**
   * A column the condition holds equal to one value, leading an index on (column, sort keys…): put first
   * in ORDER BY (no change to the order), it tells the planner that this index yields the order. Without
   * it, the planner may walk the sort keys' own index and filter, which is fast while matches are dense
   * where it starts — the first purchase comes months after the first credit: 400,000 rows read for the
   * last page of purchases.
   */
  leading?: string;
}

/** A condition that applies only when `value` is given (undefined and null mean "any"). */
export function when(
  name: string,
  value: SqlValue | undefined,
  sql: (placeholder: string) => string,
  options: { leading?: string } = {},
): Condition | null {
  return value === undefined || value === null ? null : { name, sql, values: [value], ...options };
}

/** A condition without values (always present in its listing). */
export function always(name: string, sql: string): Condition {
  return { name, sql: () => sql, values: [] };
}

export interface PageRequest {
  limit: number;
  offset: number;
  cursor?: string | undefined;
}

/** The special cursor of a listing's last page: the page before its end. */
export const LAST_PAGE_CURSOR = "last";

interface CursorPosition {
  /** n: the rows after `key`; p: the rows before it (`key` null: before the end, i.e. the last page). */
  dir: "n" | "p";
  key: string[] | null;
}

const KEY_FORMATS: Record<KeyCast, RegExp> = {
  int8: /^-?[0-9]{1,19}$/,
  numeric: /^-?[0-9]{1,30}(\.[0-9]{1,10})?$/,
  // PostgreSQL's timestamptz text (DateStyle ISO, any offset): checked again by validTime below.
  timestamptz: /^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?([+-][0-9]{2}(:?[0-9]{2})?|Z)$/,
  // eslint-disable-next-line no-control-regex -- NUL is what PostgreSQL text cannot hold
  text: /^[^\u0000]{0,200}$/,
};

/** A real day and time (the format passed KEY_FORMATS): month 13 or 30 February would reach PostgreSQL. */
function validTime(text: string): boolean {
  const [y, m, d, hh, mm, ss] = text.split(/[- T:.+]/).map(Number) as number[];
  const t = new Date(Date.UTC(y!, m! - 1, d!, hh!, mm!, ss!));
  return (
    t.getUTCFullYear() === y &&
    t.getUTCMonth() === m! - 1 &&
    t.getUTCDate() === d &&
    t.getUTCHours() === hh &&
    t.getUTCMinutes() === mm &&
    t.getUTCSeconds() === ss
  );
}

const badCursor = () =>
  new AppError("INVALID_INPUT", "cursor is not a cursor of this listing: use a page's nextCursor or prevCursor");

/** base64url of `[tag, dir, ...key]`: the listing and sort it belongs to, the way and the position. */
function encodeCursor(tag: string, dir: "n" | "p", key: string[]): string {
  return Buffer.from(JSON.stringify([tag, dir, ...key]), "utf8").toString("base64url");
}

/** The position a cursor names, checked against the listing and sort it is used with; 400 otherwise. */
function decodeCursor(cursor: string, tag: string, keys: readonly SortKey[]): CursorPosition {
  if (cursor === LAST_PAGE_CURSOR) return { dir: "p", key: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== keys.length + 2 || parsed[0] !== tag) throw badCursor();
  const [, dir, ...key] = parsed as unknown[];
  if (dir !== "n" && dir !== "p") throw badCursor();
  key.forEach((value, i) => {
    const cast = keys[i]!.cast;
    if (typeof value !== "string" || !KEY_FORMATS[cast].test(value)) throw badCursor();
    if (cast === "timestamptz" && !validTime(value as string)) throw badCursor();
  });
  return { dir, key: key as string[] };
}

/** Above this planner cost a total is the planner's row estimate instead of a count (about 10 ms of work). */
export const EXACT_COUNT_MAX_COST = 10_000;

/**
 * The total of a filter: `EXPLAIN` the count first; when the planner prices it under EXACT_COUNT_MAX_COST
 * (an index range of some thousands of rows, a small table) count exactly, otherwise answer the planner's
 * row estimate (from the statistics: pg_class.reltuples and the column histograms) marked as an estimate.
 */
async function totalOf(
  sql: SqlClient,
  name: string,
  from: string,
  where: string,
  values: readonly SqlValue[],
): Promise<{ total: number; totalIsEstimate: boolean }> {
  const count = `SELECT count(*)::int8::text AS total FROM ${from} WHERE ${where}`;
  const [plan] = await sql.query(
    statement<{ "QUERY PLAN": ExplainPlan[] | string }>(`${name}.explain`, `EXPLAIN (FORMAT JSON) ${count}`),
    values,
  );
  const root = explained(plan!["QUERY PLAN"]).Plan;
  if (root["Total Cost"] <= EXACT_COUNT_MAX_COST) {
    const [row] = await sql.query(statement<{ total: string }>(`${name}.count`, count), values);
    return { total: Number(row!.total), totalIsEstimate: false };
  }
  const rows = root.Plans?.[0]?.["Plan Rows"] ?? root["Plan Rows"];
  return { total: Math.max(0, Math.round(rows)), totalIsEstimate: true };
}

/** A node of EXPLAIN (FORMAT JSON). */
export interface ExplainNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Total Cost": number;
  "Plan Rows": number;
  Plans?: ExplainNode[];
}
type ExplainPlan = { Plan: ExplainNode };

/** EXPLAIN's JSON arrives parsed (pg) or as text (a driver without the json type). */
export function explained(value: ExplainPlan[] | string): ExplainPlan {
  return (typeof value === "string" ? (JSON.parse(value) as ExplainPlan[]) : value)[0]!;
}

/** Numbers `$n` from `start`. */
function placeholders(start: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `$${start + i}`);
}

/** The WHERE of a set of conditions and its values, numbered from $1. */
function whereOf(conditions: readonly Condition[]): { where: string; values: SqlValue[]; shape: string } {
  const values: SqlValue[] = [];
  const parts = conditions.map((c) => {
    const sqlText = c.sql(...placeholders(values.length + 1, c.values.length));
    values.push(...c.values);
    return `(${sqlText})`;
  });
  return {
    where: parts.length ? parts.join(" AND ") : "true",
    values,
    shape: conditions.map((c) => c.name).join("+") || "all",
  };
}

/**
 * The ORDER BY of a listing's sort: each present condition's leading column (the index it reads starts
 * with it), then the sort's keys, all one way.
 */
function orderByOf(present: readonly Condition[], keys: readonly { expr: string }[], ascending: boolean): string {
  return [...present.flatMap((c) => (c.leading ? [c.leading] : [])), ...keys.map((k) => k.expr)]
    .map((expr) => `${expr} ${ascending ? "ASC" : "DESC"}`)
    .join(", ");
}

/**
 * Every row of `listing` for the conditions, in `sort` / `order`, as one statement (for a client that
 * streams: SqlClient.stream), named by its filter's shape like the pages.
 */
export function wholeListing<Row, Sort extends string>(
  listing: KeysetListing<Sort>,
  conditions: readonly (Condition | null)[],
  sort: Sort,
  order: "asc" | "desc",
): { statement: Statement<Row>; values: SqlValue[] } {
  const present = conditions.filter((c): c is Condition => c !== null);
  const filter = whereOf(present);
  const orderBy = orderByOf(present, listing.sorts[sort], order === "asc");
  return {
    statement: statement<Row>(
      `${listing.name}.${sort}.${order}.whole.${filter.shape}`,
      `SELECT ${listing.select} FROM ${listing.from} WHERE ${filter.where} ORDER BY ${orderBy}`,
    ),
    values: filter.values,
  };
}

export interface KeysetPage<Row> {
  rows: Row[];
  total: number;
  totalIsEstimate: boolean;
  limit: number;
  offset: number;
  nextCursor: string | null;
  prevCursor: string | null;
}

/**
 * One page of `listing` in `sort` / `order` for the given conditions (nulls are dropped): after or before
 * a cursor, or at `offset` (bounded by the contract) without one, with the filter's total.
 */
export async function keysetPage<Row, Sort extends string>(
  sql: SqlClient,
  listing: KeysetListing<Sort>,
  conditions: readonly (Condition | null)[],
  sort: Sort,
  order: "asc" | "desc",
  page: PageRequest,
  options: { total?: boolean } = {},
): Promise<KeysetPage<Row>> {
  const keys = listing.sorts[sort];
  const tag = `${listing.name}.${sort}.${order}`;
  const present = conditions.filter((c): c is Condition => c !== null);
  const filter = whereOf(present);
  const position = page.cursor === undefined ? null : decodeCursor(page.cursor, tag, keys);
  const backwards = position?.dir === "p";
  // Going backwards the index is read the other way and the rows are reversed afterwards.
  const ascending = (order === "asc") !== backwards;
  const where = [filter.where];
  const values = [...filter.values];
  if (position?.key) {
    const ph = placeholders(values.length + 1, keys.length);
    where.push(
      `(${keys.map((k) => k.expr).join(", ")}) ${ascending ? ">" : "<"} (${keys.map((k, i) => `${ph[i]}::${k.cast}`).join(", ")})`,
    );
    values.push(...position.key);
  }
  const offset = position ? 0 : page.offset;
  const [limitPh, offsetPh] = placeholders(values.length + 1, 2);
  const name = `${listing.name}.${sort}.${order}.${backwards ? "prev" : "next"}${position?.key ? ".after" : ""}${offset > 0 ? ".offset" : ""}.${filter.shape}`;
  const orderBy = orderByOf(present, keys, ascending);
  const columns = `${listing.select}, ${keys.map((k, i) => `(${k.expr})::text AS _k${i}`).join(", ")}`;
  // An offset skips rows: find the page's ids first (the skipped rows cost an index entry each), then
  // build the columns — subqueries included — of those rows only (a projection runs for skipped rows too).
  const text =
    offset > 0
      ? `SELECT ${columns}
     FROM ${listing.from}
    WHERE ${listing.rowId} IN (SELECT ${listing.rowId} FROM ${listing.from} WHERE ${where.join(" AND ")}
                                ORDER BY ${orderBy} LIMIT ${limitPh}::int4 OFFSET ${offsetPh}::int4)
    ORDER BY ${orderBy}`
      : `SELECT ${columns}
     FROM ${listing.from}
    WHERE ${where.join(" AND ")}
    ORDER BY ${orderBy}
    LIMIT ${limitPh}::int4 OFFSET ${offsetPh}::int4`;
  type Keyed = Row & Record<`_k${number}`, string>;
  const fetched = await sql.query(statement<Keyed>(name, text), [...values, page.limit + 1, offset]);
  const more = fetched.length > page.limit;
  const rows = fetched.slice(0, page.limit);
  if (backwards) rows.reverse();
  const keyOf = (row: Keyed | undefined) => (row ? keys.map((_, i) => String(row[`_k${i}`])) : null);
  const first = keyOf(rows[0]);
  const last = keyOf(rows.at(-1));
  let nextCursor: string | null;
  let prevCursor: string | null;
  if (backwards) {
    prevCursor = more && first ? encodeCursor(tag, "p", first) : null;
    nextCursor = position?.key && last ? encodeCursor(tag, "n", last) : null;
  } else {
    nextCursor = more && last ? encodeCursor(tag, "n", last) : null;
    prevCursor = (position !== null || offset > 0) && first ? encodeCursor(tag, "p", first) : null;
  }
  const { total, totalIsEstimate } =
    options.total === false
      ? { total: 0, totalIsEstimate: true }
      : await totalOf(
          sql,
          `${listing.name}.${filter.shape}`,
          listing.countFrom ?? listing.from,
          filter.where,
          filter.values,
        );
  return {
    rows: rows.map((row) => {
      const clean = { ...row } as Record<string, unknown>;
      keys.forEach((_, i) => delete clean[`_k${i}`]);
      return clean as Row;
    }),
    total,
    totalIsEstimate,
    limit: page.limit,
    offset,
    nextCursor,
    prevCursor,
  };
}

/**
 * A `%text%` pattern for ILIKE with the text's own `%`, `_` and `\` escaped (a search for "%" must not
 * match everything; logins may contain "_"). Backslash is PostgreSQL's default LIKE escape.
 */
export function containsPattern(text: string | undefined): string | null {
  return text ? `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
}

/**
 * A repository factory made once per database handle (not per call): `perDb((db) => ({ …methods }))`.
 * Repositories hold nothing but the handle, so one instance per Db serves every request.
 */
export function perDb<Repo, D extends Pick<Db, "sql"> = Pick<Db, "sql">>(make: (db: D) => Repo): (db: D) => Repo {
  const made = new WeakMap<D, Repo>();
  return (db) => {
    let repo = made.get(db);
    if (!repo) made.set(db, (repo = make(db)));
    return repo;
  };
}
