// What the repositories share: paging with a total, LIKE escaping and times written in SQL.
import type { Db, SqlClient, SqlValue, Statement } from "@shop/db";

/** A time as the API writes it (Date.prototype.toISOString's format), computed in SQL. */
export const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

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
  return { rows, total, limit, offset };
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
