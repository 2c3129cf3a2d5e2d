// Fault injection for the atomicity tests: a table of this test's database that refuses every insert (a
// trigger), and a snapshot of everything a write could change, to compare before and after a refused write.
import type { Db } from "@shop/db";

/** Makes every insert into `table` fail (a trigger that raises); the returned function removes it. */
export async function refuseInserts(
  db: Pick<Db, "prisma">,
  table: "audit_log" | "events",
): Promise<() => Promise<void>> {
  const name = `test_${table}_refuses`;
  const what = table === "audit_log" ? "the audit log" : "the event log";
  await db.prisma.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'injected: ${what} refuses'; END $$ LANGUAGE plpgsql`);
  await db.prisma.$executeRawUnsafe(
    `CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`,
  );
  return () => db.prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS ${name} ON ${table}`).then(() => undefined);
}

/** Everything a write could have changed, read from the database, as comparable text. */
export async function writableState(db: Pick<Db, "prisma">): Promise<string> {
  const [products, users, ledger, audit, events, keys, accounts] = await Promise.all([
    db.prisma.product.findMany({ orderBy: { id: "asc" } }),
    db.prisma.user.findMany({ orderBy: { id: "asc" } }),
    db.prisma.ledgerEntry.findMany({ orderBy: { seq: "asc" } }),
    db.prisma.auditEntry.count(),
    db.prisma.event.count(),
    db.prisma.idempotencyKey.count(),
    db.prisma.account.findMany({ orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify({ products, users, ledger, audit, events, keys, accounts }, (_k, v: unknown) =>
    typeof v === "bigint" ? v.toString() : v,
  );
}
