// The hot path's statements, run by the driver itself instead of through Prisma Client.
//
// Why: on this stack Prisma Client costs about 0.5–0.7 ms of Node CPU per query (a `findUnique` or a
// `$queryRaw` alike), several times the cost of the query on the wire; a named pg statement costs about
// 0.1 ms, and PostgreSQL parses and plans it once per connection instead of at every call. The requests
// that run on every page view or payment (the sign-in check, a purchase, a credit, the product list)
// use `sql.query(statement, values)`; everything else stays on Prisma, whose schema and migrations
// own the tables either way (docs/performance.md has the measurements).
//
// A statement is plain SQL with $1…$n placeholders and explicit casts, and it names every output
// column with the type both engines return alike: text (uuids, numeric, int8), int4, boolean,
// timestamptz (a Date). Errors are the driver's own (`code` is the SQLSTATE), which the API's error
// mapping already understands.
import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";

/** A value bound to a placeholder: text (cast in the SQL), a boolean, an integer or NULL. */
export type SqlValue = string | number | boolean | null;

export interface Statement<Row> {
  /** Unique per process: the prepared statement's name on every PostgreSQL connection. */
  readonly name: string;
  readonly text: string;
  /** Carries the row type; never set. */
  readonly row?: Row;
}

const defined = new Map<string, string>();

/** Defines a statement once (at module load). The same name with another text is a bug: it throws. */
export function statement<Row>(name: string, text: string): Statement<Row> {
  const earlier = defined.get(name);
  if (earlier !== undefined && earlier !== text) throw new Error(`SQL statement "${name}" is defined twice`);
  defined.set(name, text);
  return { name, text };
}

export interface SqlClient {
  query<Row>(statement: Statement<Row>, values: readonly SqlValue[]): Promise<Row[]>;
}

/**
 * PostgreSQL: a named (prepared) statement on a pooled connection, or with `prepared: false` the same
 * text as an unnamed statement (parsed and planned at every call). Behind PgBouncer in transaction
 * mode (before 1.21, e.g. Debian 12's 1.18) a named statement prepared on one server connection is
 * missing on the next ("prepared statement … does not exist"), so DATABASE_PREPARED_STATEMENTS=false.
 */
export function pgSqlClient(pool: pg.Pool, options: { prepared?: boolean } = {}): SqlClient {
  if (options.prepared === false) {
    return {
      async query<Row>(s: Statement<Row>, values: readonly SqlValue[]) {
        const result = await pool.query({ text: s.text, values: values as SqlValue[] });
        return result.rows as Row[];
      },
    };
  }
  return {
    async query<Row>(s: Statement<Row>, values: readonly SqlValue[]) {
      const result = await pool.query({ name: s.name, text: s.text, values: values as SqlValue[] });
      return result.rows as Row[];
    },
  };
}

/**
 * PGlite: its one connection. PGlite runs each query exclusively, after any open transaction
 * (Prisma's interactive transactions hold the same lock), so a statement never lands inside one.
 */
export function pgliteSqlClient(pglite: PGlite): SqlClient {
  return {
    async query<Row>(s: Statement<Row>, values: readonly SqlValue[]) {
      const result = await pglite.query<Row>(s.text, values as SqlValue[]);
      return result.rows;
    },
  };
}
