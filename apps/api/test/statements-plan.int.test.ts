// The statements' queries on PostgreSQL read a range of the index (account_id, created_at, seq), never
// the whole ledger: EXPLAIN of each statement, with its parameters bound (custom plan) and as the generic
// plan a prepared statement ends up with, over a year of seeded ledger rows. Prints the time of a month's
// statement of one busy account over HTTP (the issue's target on the year-of-data bench: ≤ 50 ms).
// PostgreSQL only: PGlite's planner is the same code, but the figure would measure WebAssembly.
import { testDatabaseUrl } from "@shop/db/testing";
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { STATEMENT_SQL } from "../src/repositories/statements.repository.ts";
import { getStatement } from "../src/services/statements.service.ts";
import { type TestUser, bearer, createUser, useHarness } from "./harness.ts";

const SKIP_REASON = "PostgreSQL only (plans and timings); set DATABASE_URL";
const INDEX = "ledger_entries_account_id_created_at_seq_idx";
/** Other accounts × entries each, and the busy account's entries, spread over the last year. */
const OTHERS = 300;
const PER_OTHER = 200;
const BUSY = 10_000;

describe.skipIf(!testDatabaseUrl)(
  `statement queries use the index${testDatabaseUrl ? "" : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    const h = useHarness();
    let admin: TestUser;
    let busy: string;

    beforeAll(async () => {
      admin = await createUser(h, { isAdmin: true });
      const owner = await createUser(h);
      // Credits of 1.00 with a consistent running balance, one every (year / n) per account.
      await h.db.prisma.$executeRawUnsafe(
        `INSERT INTO accounts (numeric_id, user_id, balance)
       SELECT 900000000 + g, $1::uuid, CASE WHEN g = 0 THEN ${BUSY} ELSE ${PER_OTHER} END
         FROM generate_series(0, ${OTHERS}) g`,
        owner.id,
      );
      await h.db.prisma.$executeRawUnsafe(
        `INSERT INTO ledger_entries
         (kind, direction, counterparty, account_id, amount, balance_after, transaction_id, payload_hash, created_at)
       SELECT 'credit', 'in', 'provider', a.id, 1, n,
              row_number() OVER () + 800000000, 'seed',
              now() - interval '365 days' + (n * interval '365 days' / (CASE WHEN a.numeric_id = 900000000 THEN ${BUSY} ELSE ${PER_OTHER} END))
         FROM accounts a
         JOIN LATERAL generate_series(1, CASE WHEN a.numeric_id = 900000000 THEN ${BUSY} ELSE ${PER_OTHER} END) n ON true
        WHERE a.numeric_id >= 900000000`,
      );
      await h.db.prisma.$executeRawUnsafe("ANALYZE ledger_entries");
      const [row] = await h.db.prisma.$queryRawUnsafe<{ id: string }[]>(
        "SELECT id::text FROM accounts WHERE numeric_id = 900000000",
      );
      busy = row!.id;
    }, 300_000);

    async function plan(text: string, values: string[], generic: boolean): Promise<string> {
      return h.db.prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(
          `SET LOCAL plan_cache_mode = ${generic ? "force_generic_plan" : "force_custom_plan"}`,
        );
        await tx.$executeRawUnsafe(`PREPARE plan_probe AS ${text}`);
        try {
          const rows = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
            `EXPLAIN EXECUTE plan_probe(${values.map((v) => `'${v}'`).join(", ")})`,
          );
          return rows.map((r) => r["QUERY PLAN"]).join("\n");
        } finally {
          await tx.$executeRawUnsafe("DEALLOCATE plan_probe");
        }
      });
    }

    it("a month's statement and the balance at an instant read ranges of the index, custom and generic plans", async () => {
      const to = new Date().toISOString();
      const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
      for (const generic of [false, true]) {
        const window = await plan(STATEMENT_SQL.window.text, [busy, from, to, admin.id], generic);
        const balance = await plan(STATEMENT_SQL.balanceAt.text, [busy, from, admin.id], generic);
        for (const text of [window, balance]) {
          expect(text, text).toContain(INDEX);
          expect(text, text).not.toMatch(/Seq Scan on ledger_entries/);
        }
      }
    });

    it("prints the time of a month's statement of a busy account (service and HTTP, 20 runs each)", async () => {
      const to = new Date().toISOString();
      const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
      const median = async (run: () => Promise<number>) => {
        const times: number[] = [];
        let entries = 0;
        for (let i = 0; i < 21; i++) {
          const started = performance.now();
          entries = await run();
          times.push(performance.now() - started);
        }
        times.sort((a, b) => a - b);
        return { entries, median: times[10]!.toFixed(1), max: times.at(-1)!.toFixed(1) };
      };
      const service = await median(
        async () => (await getStatement(h.deps, { accountId: busy, from, to, ownerId: null })).entries.length,
      );
      // The app's own answer, without the harness's response validation (Ajv over every entry).
      const http = await median(async () => {
        const res = await request(h.app).get(`/accounts/${busy}/statement?from=${from}&to=${to}`).set(bearer(admin));
        expect(res.status, res.text).toBe(200);
        return res.body.entries.length as number;
      });
      console.log(
        `[statements] a month of one account (${service.entries} entries; ledger ${OTHERS * PER_OTHER + BUSY} rows): ` +
          `service (SQL + JSON) median ${service.median} ms, max ${service.max} ms; ` +
          `HTTP (supertest, in process) median ${http.median} ms, max ${http.max} ms`,
      );
      expect(http.entries).toBeGreaterThan(700);
    });
  },
);
