// The door from services to the database's clients, for writes that must commit together: services
// never query, but they decide which writes form one commit. `transaction(db, fn)` opens one
// (sql.transaction: BEGIN … COMMIT, ROLLBACK on any throw, on both engines) and hands `fn` its client,
// which repository functions and the audit entry take; `pooled(db)` is the client outside any
// transaction, for a move that is one statement.
import type { Db, SqlClient, SqlTransaction } from "@shop/db";

export function transaction<T>(db: Pick<Db, "sql">, fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
  return db.sql.transaction(fn);
}

export function pooled(db: Pick<Db, "sql">): SqlClient {
  return db.sql;
}
