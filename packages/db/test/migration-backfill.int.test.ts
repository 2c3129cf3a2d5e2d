// The operator-money migration backfills the ledger written before it: credits came in from the provider,
// purchases went out to the shop. Replays the migrations on a bare PGlite, with rows written between them
// as the old code wrote them. (Engine-independent: runs once, in the PGlite pass.)
import { PGlite } from "@electric-sql/pglite";
import { describe, expect, it } from "vitest";
import { readMigrations } from "../src/migrations-dir.ts";
import { pgliteExtensions } from "../src/pglite-extensions.ts";
import { testDatabaseUrl } from "../src/testing.ts";

const BEFORE = "20261201100000_ledger_kinds";

describe.skipIf(testDatabaseUrl)("the operator-money migration (PGlite pass only)", () => {
  it(
    "gives existing entries their direction and counterparty, and keeps balances = ledger",
    { timeout: 60_000 },
    async () => {
      const pglite = new PGlite({ extensions: pgliteExtensions });
      try {
        const migrations = readMigrations();
        const split = migrations.findIndex((m) => m.name === BEFORE);
        expect(split).toBeGreaterThan(0);
        for (const m of migrations.slice(0, split)) await pglite.exec(m.sql);
        await pglite.exec(`
        INSERT INTO users (id, login, password_hash) VALUES ('00000000-0000-4000-9000-000000000001', 'old', 'x');
        INSERT INTO accounts (id, numeric_id, user_id, balance)
          VALUES ('00000000-0000-4000-a000-000000000001', 7, '00000000-0000-4000-9000-000000000001', 70.00);
        INSERT INTO products (id, title, price) VALUES ('00000000-0000-4000-8000-000000000001', 'Old lamp', 30.00);
        INSERT INTO ledger_entries (kind, account_id, amount, balance_after, transaction_id, payload_hash)
          VALUES ('credit', '00000000-0000-4000-a000-000000000001', 100.00, 100.00, 1, 'h');
        INSERT INTO ledger_entries (kind, account_id, amount, balance_after, product_id, product_title, product_price)
          VALUES ('purchase', '00000000-0000-4000-a000-000000000001', 30.00, 70.00,
                  '00000000-0000-4000-8000-000000000001', 'Old lamp', 30.00);`);
        for (const m of migrations.slice(split)) await pglite.exec(m.sql);
        const { rows } = await pglite.query<{
          kind: string;
          direction: string;
          counterparty: string;
          refunded: string;
        }>(
          `SELECT kind::text, direction::text, counterparty::text, refunded_amount::text AS refunded
           FROM ledger_entries ORDER BY seq`,
        );
        expect(rows).toEqual([
          { kind: "credit", direction: "in", counterparty: "provider", refunded: "0.00" },
          { kind: "purchase", direction: "out", counterparty: "shop", refunded: "0.00" },
        ]);
        const [books] = (
          await pglite.query<{ balanced: boolean }>(
            `SELECT a.balance = sum(CASE WHEN e.direction = 'in' THEN e.amount ELSE -e.amount END) AS balanced
             FROM accounts a JOIN ledger_entries e ON e.account_id = a.id GROUP BY a.balance`,
          )
        ).rows;
        expect(books).toEqual({ balanced: true });
      } finally {
        await pglite.close();
      }
    },
  );
});
