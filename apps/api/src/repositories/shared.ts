// What the repositories share: paging with a total, LIKE escaping and times written in SQL.
import { type Db, type SqlClient, type SqlValue, type Statement, statement } from "@shop/db";

/** A time as the API writes it (Date.prototype.toISOString's format), computed in SQL. */
export const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** What a listing reads: its columns, its rows (FROM with any joins) and which of them (WHERE, $1…$n). */
export interface ListingQuery {
  select: string;
  from: string;
  where: string;
}

export interface PageStatements<Row> {
  page: Statement<Row & { total: number }>;
  count: Statement<{ total: number }>;
}

/** The highest placeholder the filter uses: the page's limit and offset come after it. */
function filterParams(where: string): number {
  return Math.max(0, ...[...where.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
}

/**
 * One page of `q` in `orderBy`: the filter's values, then $n+1 limit and $n+2 offset. Every row carries
 * the filter's total from an uncorrelated sub-select, counted once (a window count would read and sort
 * every matching row for one page).
 */
export function pageStatement<Row>(name: string, q: ListingQuery, orderBy: string): Statement<Row & { total: number }> {
  const n = filterParams(q.where);
  return statement(
    name,
    `SELECT ${q.select}, (SELECT count(*) FROM ${q.from} WHERE ${q.where})::int4 AS total
       FROM ${q.from}
      WHERE ${q.where}
      ORDER BY ${orderBy}
      LIMIT $${n + 1}::int4 OFFSET $${n + 2}::int4`,
  );
}

/** The total alone, for a page past the end (no row to carry it). */
export function countStatement(name: string, q: ListingQuery): Statement<{ total: number }> {
  return statement(name, `SELECT count(*)::int4 AS total FROM ${q.from} WHERE ${q.where}`);
}

/** A listing in one order: `<name>.list` and `<name>.count`. */
export function pageStatements<Row>(name: string, q: ListingQuery, orderBy: string): PageStatements<Row> {
  return { page: pageStatement<Row>(`${name}.list`, q, orderBy), count: countStatement(`${name}.count`, q) };
}

/**
 * A listing the client sorts: one prepared statement per sort key and direction (ORDER BY cannot be a
 * parameter), `<name>.list.<sort>.<order>`, each ending with `tiebreak` so equal keys keep one order;
 * one `<name>.count`.
 */
export function sortedPageStatements<Row, Sort extends string>(
  name: string,
  q: ListingQuery,
  keys: Record<Sort, string>,
  tiebreak: string,
): (sort: Sort, order: "asc" | "desc") => PageStatements<Row> {
  const count = countStatement(`${name}.count`, q);
  const pages = new Map<string, PageStatements<Row>>();
  for (const sort of Object.keys(keys) as Sort[]) {
    for (const order of ["asc", "desc"] as const) {
      const page = pageStatement<Row>(`${name}.list.${sort}.${order}`, q, `${keys[sort]} ${order}, ${tiebreak}`);
      pages.set(`${sort}.${order}`, { page, count });
    }
  }
  return (sort, order) => pages.get(`${sort}.${order}`)!;
}

/**
 * One page of a listing: `page` takes the filter's values, then $n+1 limit and $n+2 offset, and every
 * row carries the filter's `total`; a page past the end has no row to carry it, so `count` is asked.
 */
export async function queryPage<Row extends { total: number }>(
  sql: SqlClient,
  statements: { page: Statement<Row>; count: Statement<{ total: number }> },
  filter: readonly SqlValue[],
  { limit, offset }: { limit: number; offset: number },
) {
  const rows = await sql.query(statements.page, [...filter, limit, offset]);
  const total = rows[0]?.total ?? (offset > 0 ? (await sql.query(statements.count, filter))[0]!.total : 0);
  // Keyset cursors and estimated totals: not yet (offset paging, exact counts).
  return { rows, total, totalIsEstimate: false, limit, offset, nextCursor: null, prevCursor: null };
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
