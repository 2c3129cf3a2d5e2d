// The money invariants, read from the database, and the check that the ledger holds exactly what the
// API acknowledged (the tally of a load, ./load.ts).
import type { PrismaClient } from "@shop/db";
import { expect } from "vitest";
import { cents } from "../support/money.ts";
import type { Tally } from "./load.ts";

export interface MoneyFigures {
  accounts: number;
  negativeAccounts: number;
  /** Accounts whose balance differs from the sum of their ledger. */
  mismatchedAccounts: number;
  negativeEntries: number;
  /** Ledger rows whose balance_after is not the running sum of the account's ledger in seq order. */
  chainBreaks: number;
  creditEntries: number;
  purchaseEntries: number;
  totalBalances: bigint;
  totalCredits: bigint;
  totalPurchases: bigint;
}

const MONEY_SQL = `
SELECT
  (SELECT count(*) FROM accounts)::int AS accounts,
  (SELECT count(*) FROM accounts WHERE balance < 0)::int AS negative_accounts,
  (SELECT count(*) FROM accounts a
    WHERE a.balance <> COALESCE((SELECT SUM(CASE WHEN e.kind = 'credit' THEN e.amount ELSE -e.amount END)
                                   FROM ledger_entries e WHERE e.account_id = a.id), 0))::int AS mismatched_accounts,
  (SELECT count(*) FROM ledger_entries WHERE balance_after < 0)::int AS negative_entries,
  (SELECT count(*) FROM (
     SELECT balance_after,
            SUM(CASE WHEN kind = 'credit' THEN amount ELSE -amount END)
              OVER (PARTITION BY account_id ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
       FROM ledger_entries) chain
    WHERE balance_after <> running)::int AS chain_breaks,
  (SELECT count(*) FROM ledger_entries WHERE kind = 'credit')::int AS credit_entries,
  (SELECT count(*) FROM ledger_entries WHERE kind = 'purchase')::int AS purchase_entries,
  (SELECT COALESCE(SUM(balance), 0) FROM accounts)::numeric(20,2)::text AS total_balances,
  (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE kind = 'credit')::numeric(20,2)::text AS total_credits,
  (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE kind = 'purchase')::numeric(20,2)::text AS total_purchases`;

export async function moneyFigures(prisma: PrismaClient): Promise<MoneyFigures> {
  const [row] = await prisma.$queryRawUnsafe<Record<string, number | string>[]>(MONEY_SQL);
  if (!row) throw new Error("no row");
  return {
    accounts: Number(row.accounts),
    negativeAccounts: Number(row.negative_accounts),
    mismatchedAccounts: Number(row.mismatched_accounts),
    negativeEntries: Number(row.negative_entries),
    chainBreaks: Number(row.chain_breaks),
    creditEntries: Number(row.credit_entries),
    purchaseEntries: Number(row.purchase_entries),
    totalBalances: cents(String(row.total_balances)),
    totalCredits: cents(String(row.total_credits)),
    totalPurchases: cents(String(row.total_purchases)),
  };
}

/** Every balance = Σ its ledger, none negative, the chain of balance_after is consistent, Σ balances = credits − purchases. */
export function expectMoneyInvariants(f: MoneyFigures): void {
  expect(f.negativeAccounts, "accounts with a negative balance").toBe(0);
  expect(f.negativeEntries, "ledger rows with a negative balance_after").toBe(0);
  expect(f.mismatchedAccounts, "accounts whose balance is not the sum of their ledger").toBe(0);
  expect(f.chainBreaks, "ledger rows whose balance_after is not the running sum").toBe(0);
  expect(f.totalBalances, "Σ balances = Σ credits − Σ purchases").toBe(f.totalCredits - f.totalPurchases);
}

/** What the ledger holds: credits by provider transaction_id, purchases by ledger id (amounts in cents). */
export async function ledgerContents(prisma: PrismaClient) {
  const rows = await prisma.$queryRawUnsafe<{ id: string; kind: string; tx: string | null; amount: string }[]>(
    `SELECT id::text, kind::text, transaction_id::text AS tx, amount::text FROM ledger_entries`,
  );
  const credits = new Map<number, bigint>();
  const purchases = new Map<string, bigint>();
  for (const r of rows) {
    if (r.kind === "credit") credits.set(Number(r.tx), cents(r.amount));
    else purchases.set(r.id, cents(r.amount));
  }
  return { credits, purchases };
}

/** The tally must be exactly the ledger: same credits (by transaction_id), same purchases (by id), same amounts. */
export function expectTallyMatchesLedger(tally: Tally, ledger: Awaited<ReturnType<typeof ledgerContents>>): void {
  const missingCredits = [...tally.credits.keys()].filter((tx) => !ledger.credits.has(tx));
  const extraCredits = [...ledger.credits.keys()].filter((tx) => !tally.credits.has(tx));
  const wrongCredits = [...tally.credits].filter(([tx, c]) => ledger.credits.has(tx) && ledger.credits.get(tx) !== c);
  const missingPurchases = [...tally.purchases.keys()].filter((id) => !ledger.purchases.has(id));
  const extraPurchases = [...ledger.purchases.keys()].filter((id) => !tally.purchases.has(id));
  expect(missingCredits, "credits answered 2xx but absent from the ledger").toEqual([]);
  expect(missingPurchases, "purchases answered 2xx but absent from the ledger").toEqual([]);
  expect(wrongCredits, "credits whose amount differs from the answer").toEqual([]);
  expect(extraCredits, "credits in the ledger that no 2xx answer acknowledged").toEqual([]);
  expect(extraPurchases, "purchases in the ledger that no 2xx answer acknowledged").toEqual([]);
}
