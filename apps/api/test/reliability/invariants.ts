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
  refundEntries: number;
  adjustmentEntries: number;
  /** Purchases whose refunded_amount is not the sum of their refunds, or exceeds their price. */
  refundBreaks: number;
  totalBalances: bigint;
  totalCredits: bigint;
  totalPurchases: bigint;
  totalRefunds: bigint;
  totalAdjustmentsIn: bigint;
  totalAdjustmentsOut: bigint;
}

const MONEY_SQL = `
SELECT
  (SELECT count(*) FROM accounts)::int AS accounts,
  (SELECT count(*) FROM accounts WHERE balance < 0)::int AS negative_accounts,
  (SELECT count(*) FROM accounts a
    WHERE a.balance <> COALESCE((SELECT SUM(CASE WHEN e.direction = 'in' THEN e.amount ELSE -e.amount END)
                                   FROM ledger_entries e WHERE e.account_id = a.id), 0))::int AS mismatched_accounts,
  (SELECT count(*) FROM ledger_entries WHERE balance_after < 0)::int AS negative_entries,
  (SELECT count(*) FROM (
     SELECT balance_after,
            SUM(CASE WHEN direction = 'in' THEN amount ELSE -amount END)
              OVER (PARTITION BY account_id ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
       FROM ledger_entries) chain
    WHERE balance_after <> running)::int AS chain_breaks,
  (SELECT count(*) FROM ledger_entries WHERE kind = 'credit')::int AS credit_entries,
  (SELECT count(*) FROM ledger_entries WHERE kind = 'purchase')::int AS purchase_entries,
  (SELECT COALESCE(SUM(balance), 0) FROM accounts)::numeric(20,2)::text AS total_balances,
  (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE kind = 'credit')::numeric(20,2)::text AS total_credits,
  (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE kind = 'purchase')::numeric(20,2)::text AS total_purchases,
  (SELECT count(*) FROM ledger_entries WHERE kind = 'refund')::int AS refund_entries,
  (SELECT count(*) FROM ledger_entries WHERE kind = 'adjustment')::int AS adjustment_entries,
  (SELECT count(*) FROM ledger_entries p
    WHERE p.kind = 'purchase'
      AND (p.refunded_amount > p.amount
           OR p.refunded_amount <> COALESCE((SELECT SUM(r.amount) FROM ledger_entries r WHERE r.refund_of = p.id), 0)
           OR EXISTS (SELECT 1 FROM ledger_entries r WHERE r.refund_of = p.id AND r.account_id <> p.account_id)))::int
    AS refund_breaks,
  (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE kind = 'refund')::numeric(20,2)::text AS total_refunds,
  (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE kind = 'adjustment' AND direction = 'in')::numeric(20,2)::text
    AS total_adjustments_in,
  (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE kind = 'adjustment' AND direction = 'out')::numeric(20,2)::text
    AS total_adjustments_out`;

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
    refundEntries: Number(row.refund_entries),
    adjustmentEntries: Number(row.adjustment_entries),
    refundBreaks: Number(row.refund_breaks),
    totalBalances: cents(String(row.total_balances)),
    totalCredits: cents(String(row.total_credits)),
    totalPurchases: cents(String(row.total_purchases)),
    totalRefunds: cents(String(row.total_refunds)),
    totalAdjustmentsIn: cents(String(row.total_adjustments_in)),
    totalAdjustmentsOut: cents(String(row.total_adjustments_out)),
  };
}

/**
 * Every balance = Σ its ledger, none negative, the chain of balance_after is consistent, the books
 * balance (Σ balances = credits − sales + refunds + adjustments in − adjustments out), and every
 * purchase's refunded amount is the sum of its refunds (never above its price, all to its own account).
 */
export function expectMoneyInvariants(f: MoneyFigures): void {
  expect(f.negativeAccounts, "accounts with a negative balance").toBe(0);
  expect(f.negativeEntries, "ledger rows with a negative balance_after").toBe(0);
  expect(f.mismatchedAccounts, "accounts whose balance is not the sum of their ledger").toBe(0);
  expect(f.chainBreaks, "ledger rows whose balance_after is not the running sum").toBe(0);
  expect(f.refundBreaks, "purchases whose refunds do not add up").toBe(0);
  expect(f.totalBalances, "Σ balances = credits − sales + refunds + adjustments in − adjustments out").toBe(
    booksTotal(f),
  );
}

/** What the wallets must hold together, from the ledger's totals. */
export function booksTotal(f: MoneyFigures): bigint {
  return f.totalCredits - f.totalPurchases + f.totalRefunds + f.totalAdjustmentsIn - f.totalAdjustmentsOut;
}

/**
 * What the ledger holds: credits by provider transaction_id, purchases, refunds and adjustments by
 * ledger id (amounts in cents; adjustments signed: out is negative).
 */
export async function ledgerContents(prisma: PrismaClient) {
  const rows = await prisma.$queryRawUnsafe<
    { id: string; kind: string; direction: string; tx: string | null; amount: string }[]
  >(`SELECT id::text, kind::text, direction::text, transaction_id::text AS tx, amount::text FROM ledger_entries`);
  const credits = new Map<number, bigint>();
  const purchases = new Map<string, bigint>();
  const refunds = new Map<string, bigint>();
  const adjustments = new Map<string, bigint>();
  for (const r of rows) {
    if (r.kind === "credit") credits.set(Number(r.tx), cents(r.amount));
    else if (r.kind === "purchase") purchases.set(r.id, cents(r.amount));
    else if (r.kind === "refund") refunds.set(r.id, cents(r.amount));
    else adjustments.set(r.id, (r.direction === "in" ? 1n : -1n) * cents(r.amount));
  }
  return { credits, purchases, refunds, adjustments };
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
  for (const [name, acknowledged, held] of [
    ["refunds", tally.refunds, ledger.refunds],
    ["adjustments", tally.adjustments, ledger.adjustments],
  ] as const) {
    const missing = [...acknowledged.keys()].filter((id) => !held.has(id));
    const extra = [...held.keys()].filter((id) => !acknowledged.has(id));
    const wrong = [...acknowledged].filter(([id, c]) => held.has(id) && held.get(id) !== c);
    expect(missing, `${name} answered 2xx but absent from the ledger`).toEqual([]);
    expect(extra, `${name} in the ledger that no 2xx answer acknowledged`).toEqual([]);
    expect(wrong, `${name} whose amount differs from the answer`).toEqual([]);
  }
}
