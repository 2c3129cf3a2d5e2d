// The API's statements, run by the driver itself instead of through Prisma Client.
//
// Why: on this stack Prisma Client costs about 0.5–0.7 ms of Node CPU per query (a `findUnique` or a
// `$queryRaw` alike), several times the cost of the query on the wire; a named pg statement costs about
// 0.1 ms, and PostgreSQL parses and plans it once per connection instead of at every call. Every
// repository of the API runs its statements with `sql.query(statement, values)`, and writes that must
// commit together run in `sql.transaction(fn)`; Prisma keeps the schema, the migrations and the tests'
// fixtures (docs/performance.md has the measurements).
//
// A statement is plain SQL with $1…$n placeholders and explicit casts, and it names every output
// column with the type both engines return alike: text (uuids, numeric, int8), int4, boolean,
// timestamptz (a Date). Errors are the driver's own (`code` is the SQLSTATE), which the API's error
// mapping already understands.
import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import Cursor from "pg-cursor";

/** A value bound to a placeholder: text (cast in the SQL), a boolean, an integer or NULL. */
export type SqlValue = string | number | boolean | null;

export interface Statement<Row> {
  /** Unique per process: the prepared statement's name on every PostgreSQL connection. */
  readonly name: string;
  readonly text: string;
  /**
   * Planned for its values at every run (PostgreSQL: sent unnamed) instead of prepared once: for a
   * statement whose best plan depends on its values and that runs seldom enough for planning not to
   * matter. A prepared statement switches to a generic plan after five runs when that plan looks no
   * dearer; the reports' roll-up then read a month of the ledger in a minute of CPU instead of 2 s.
   */
  readonly custom?: boolean;
  /** Carries the row type; never set. */
  readonly row?: Row;
}

const defined = new Map<string, string>();

/** Defines a statement once (at module load). The same name with another text is a bug: it throws. */
export function statement<Row>(name: string, text: string, options: { custom?: boolean } = {}): Statement<Row> {
  const earlier = defined.get(name);
  if (earlier !== undefined && earlier !== text) throw new Error(`SQL statement "${name}" is defined twice`);
  defined.set(name, text);
  return options.custom ? { name, text, custom: true } : { name, text };
}

export interface SqlClient {
  query<Row>(statement: Statement<Row>, values: readonly SqlValue[]): Promise<Row[]>;
  /**
   * Runs `fn` in ONE transaction and returns what it returned: COMMIT when it resolves, ROLLBACK when
   * it throws (the error is rethrown unchanged). `tx` runs statements inside the transaction; a
   * `transaction()` called on `tx` runs in the same one (no savepoint: a throw rolls back everything).
   * Never use the outer client inside `fn`: on PGlite it waits for this transaction to end (deadlock),
   * on PostgreSQL it runs outside it, on another connection.
   */
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /**
   * The rows of one statement in batches of up to `batchSize`, all from one snapshot: PostgreSQL reads
   * them through a cursor on one pooled connection, held until the last batch or until the caller stops
   * (return() on the generator, as a for-await loop's break does, closes the cursor). One statement
   * instead of one per page lets the planner join and sort the whole range at once. Absent on PGlite
   * (one connection: a long read would hold every other statement): page with keysets there.
   */
  stream?<Row>(statement: Statement<Row>, values: readonly SqlValue[], batchSize: number): AsyncGenerator<Row[]>;
}

/**
 * A client inside an open transaction. Writes that must commit with another record (the audit entry,
 * later the event) take this type, not SqlClient: handing them the plain client is a type error.
 */
export interface SqlTransaction extends SqlClient {
  readonly inTransaction: true;
}

/** A transaction's client that refuses to run once its transaction is over (a leaked `tx`). */
function transactionClient(run: <Row>(s: Statement<Row>, values: readonly SqlValue[]) => Promise<Row[]>) {
  let open = true;
  const tx: SqlTransaction = {
    inTransaction: true,
    query<Row>(s: Statement<Row>, values: readonly SqlValue[]) {
      if (!open) return Promise.reject(new Error(`SQL statement "${s.name}" sent after its transaction ended`));
      return run(s, values);
    },
    transaction: (fn) => fn(tx),
  };
  return { tx, end: () => (open = false) };
}

/**
 * PostgreSQL: a named (prepared) statement on a pooled connection, or with `prepared: false` the same
 * text as an unnamed statement (parsed and planned at every call). Behind PgBouncer in transaction
 * mode (before 1.21, e.g. Debian 12's 1.18) a named statement prepared on one server connection is
 * missing on the next ("prepared statement … does not exist"), so DATABASE_PREPARED_STATEMENTS=false.
 *
 * A transaction holds one pooled connection from BEGIN to COMMIT / ROLLBACK (PgBouncer in transaction
 * mode pins one server connection for as long, so it works there too, with `prepared: false` as well).
 * A connection whose ROLLBACK fails is in an unknown state: it is destroyed, not returned to the pool.
 */
export function pgSqlClient(pool: pg.Pool, options: { prepared?: boolean } = {}): SqlClient {
  const prepared = options.prepared !== false;
  const config = <Row>(s: Statement<Row>, values: readonly SqlValue[]) =>
    prepared && !s.custom
      ? { name: s.name, text: s.text, values: values as SqlValue[] }
      : { text: s.text, values: values as SqlValue[] };
  /**
   * A connection of the pool for a transaction or a cursor, and how to give it back. A checked-out client
   * that loses its connection emits 'error'; unheard, it would crash the process (pool.query listens
   * for it itself). The statement in flight fails anyway. The listener is attached inside
   * pool.connect's callback, synchronously: `await pool.connect()` would leave a new connection without
   * one until the next microtask, and a FATAL (pg_terminate_backend) in the same network read as its
   * ReadyForQuery is emitted before that — a crash seen under load.
   */
  async function checkOut(): Promise<{ client: pg.PoolClient; release: (destroy?: Error) => void }> {
    const ignore = () => {};
    const client = await new Promise<pg.PoolClient>((resolve, reject) => {
      pool.connect((error, connected) => {
        if (error || !connected) return reject(error ?? new Error("no client from the pool"));
        connected.on("error", ignore);
        resolve(connected);
      });
    });
    const release = (destroy?: Error) => {
      // A destroyed client may still report its socket's end: it keeps the listener for good.
      if (!destroy) client.off("error", ignore);
      client.release(destroy);
    };
    return { client, release };
  }
  return {
    async query<Row>(s: Statement<Row>, values: readonly SqlValue[]) {
      const result = await pool.query(config(s, values));
      return result.rows as Row[];
    },
    async *stream<Row>(s: Statement<Row>, values: readonly SqlValue[], batchSize: number) {
      const { client, release } = await checkOut();
      let failed: Error | undefined;
      let cursor: Cursor<Row> | undefined;
      try {
        // A portal read batch by batch never runs parallel workers, so the plan is made without them
        // (a parallel plan run by its leader alone scanned the whole ledger: 9 s instead of 6 for 650,000
        // rows of 10 M). SET LOCAL, in a transaction: behind PgBouncer the connection stays ours.
        await client.query("BEGIN READ ONLY");
        await client.query("SET LOCAL max_parallel_workers_per_gather = 0");
        cursor = client.query(new Cursor<Row>(s.text, values as SqlValue[]));
        for (;;) {
          const rows = await cursor.read(batchSize);
          if (rows.length === 0) return;
          yield rows;
        }
      } catch (error) {
        failed = error as Error;
        throw error;
      } finally {
        // Closing ends the portal, COMMIT the read; a connection that failed is destroyed.
        try {
          await cursor?.close();
          await client.query(failed ? "ROLLBACK" : "COMMIT");
        } catch (error) {
          failed ??= error as Error;
        }
        release(failed);
      }
    },
    async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
      const { client, release } = await checkOut();
      const { tx, end } = transactionClient(async <Row>(s: Statement<Row>, values: readonly SqlValue[]) => {
        const result = await client.query(config(s, values));
        return result.rows as Row[];
      });
      try {
        await client.query("BEGIN");
        const result = await fn(tx);
        end();
        await client.query("COMMIT");
        release();
        return result;
      } catch (error) {
        end();
        try {
          await client.query("ROLLBACK");
          release();
        } catch (rollbackFailed) {
          release(rollbackFailed as Error); // destroys the connection
        }
        throw error;
      }
    },
  };
}

/**
 * PGlite: its one connection. PGlite runs each query exclusively, after any open transaction
 * (Prisma's interactive transactions and `transaction()` hold the same lock), so a statement never
 * lands inside someone else's transaction.
 */
export function pgliteSqlClient(pglite: PGlite): SqlClient {
  return {
    async query<Row>(s: Statement<Row>, values: readonly SqlValue[]) {
      const result = await pglite.query<Row>(s.text, values as SqlValue[]);
      return result.rows;
    },
    transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
      return pglite.transaction(async (inner) => {
        const { tx, end } = transactionClient(async <Row>(s: Statement<Row>, values: readonly SqlValue[]) => {
          const result = await inner.query<Row>(s.text, values as SqlValue[]);
          return result.rows;
        });
        try {
          return await fn(tx);
        } finally {
          end();
        }
      });
    },
  };
}
