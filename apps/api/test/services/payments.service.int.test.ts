// The webhook service called directly (no HTTP, no tRPC) over a real test database: the signature
// against the provider's formula and vectors, and the replay and refusal branches by their appCode,
// each refusal shown to change nothing.
import { readFileSync } from "node:fs";
import type { TWebhookInput } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import { handleWebhook, signWebhook } from "../../src/services/payments.service.ts";
import { createUser, providerId, rejectsWithAppError, signature, useHarness } from "../harness.ts";

const fixture = JSON.parse(readFileSync(new URL("../fixtures/webhook-vectors.json", import.meta.url), "utf8")) as {
  private_key: string;
  vectors: { note: string; signed_text: string; signature: string }[];
};

describe("signWebhook, the signature production code signs and checks with", () => {
  it("gives every vector's signature, over the fields exactly as written", () => {
    for (const v of fixture.vectors) {
      const [key, tx, user, bill, amount] = v.signed_text.split(":") as [string, string, string, string, string];
      expect(key).toBe(fixture.private_key);
      const signed = { transaction_id: tx, user_id: user, bill_id: bill, amount };
      expect(signWebhook(key, signed), v.note).toBe(v.signature);
      // The tests' independent signer (support/webhook.ts) agrees with the vectors too.
      expect(signature(key, tx, user, bill, amount), v.note).toBe(v.signature);
    }
  });

  it("agrees with the tests' independent signer on numbers and on their text", () => {
    for (const amount of ["1", "1.0", "1.00", "0.01", "999999.99"]) {
      const tx = providerId();
      expect(signWebhook("k", { transaction_id: tx, user_id: 7, bill_id: 42, amount })).toBe(
        signature("k", tx, 7, 42, amount),
      );
      expect(signWebhook("k", { transaction_id: String(tx), user_id: "7", bill_id: "42", amount })).toBe(
        signature("k", tx, 7, 42, amount),
      );
    }
  });
});

describe("payments.service handleWebhook", () => {
  const h = useHarness();

  /** A webhook input signed with the test key (or `key`), the amount as the provider's text. */
  function input(p: { tx: number; user: number; bill: number; amount: string }, key?: string): TWebhookInput {
    return {
      signature: signature(key ?? h.config.paymentPrivateKey, p.tx, p.user, p.bill, p.amount),
      transaction_id: p.tx,
      user_id: p.user,
      bill_id: p.bill,
      amount: p.amount,
    };
  }
  const webhook = (i: TWebhookInput) => handleWebhook(h.deps, i);

  /** What a refusal must leave untouched. */
  async function state() {
    const [accounts, entries, balances] = await Promise.all([
      h.db.prisma.account.count(),
      h.db.prisma.ledgerEntry.count(),
      h.db.prisma.account.aggregate({ _sum: { balance: true } }),
    ]);
    return { accounts, entries, total: balances._sum.balance?.toFixed(2) ?? "0.00" };
  }

  const newUser = () => createUser(h, { numericId: providerId() });

  it("a replay of the same payload answers already_processed with the recorded outcome, crediting nothing", async () => {
    const user = await newUser();
    const p = { tx: providerId(), user: user.numericId, bill: providerId(), amount: "12.50" };
    const first = await webhook(input(p));
    expect(first).toMatchObject({ status: "credited", transactionId: p.tx, amount: "12.50", balance: "12.50" });
    const before = await state();
    // The same payment, its amount written another way (12.5 is 12.50): the same payload.
    for (const amount of ["12.50", "12.5"]) {
      expect(await webhook(input({ ...p, amount }))).toEqual({ ...first, status: "already_processed" });
    }
    expect(await state()).toEqual(before);
  });

  it("the replay answers the balance right after that credit, not the balance now", async () => {
    const user = await newUser();
    const bill = providerId();
    const p = { tx: providerId(), user: user.numericId, bill, amount: "10" };
    await webhook(input(p));
    await webhook(input({ ...p, tx: providerId(), amount: "5" }));
    expect(await webhook(input(p))).toMatchObject({ status: "already_processed", amount: "10.00", balance: "10.00" });
  });

  it("the same transaction_id with another payload is TRANSACTION_ID_REUSED and changes nothing", async () => {
    const user = await newUser();
    const other = await newUser();
    const p = { tx: providerId(), user: user.numericId, bill: providerId(), amount: "10.00" };
    await webhook(input(p));
    const before = await state();
    await rejectsWithAppError(webhook(input({ ...p, amount: "10.01" })), "TRANSACTION_ID_REUSED");
    await rejectsWithAppError(webhook(input({ ...p, bill: providerId() })), "TRANSACTION_ID_REUSED");
    await rejectsWithAppError(webhook(input({ ...p, user: other.numericId })), "TRANSACTION_ID_REUSED");
    expect(await state()).toEqual(before);
  });

  it("a user_id no user has is UNKNOWN_USER and opens no account", async () => {
    const before = await state();
    const missing = providerId();
    await rejectsWithAppError(
      webhook(input({ tx: providerId(), user: missing, bill: providerId(), amount: "1.00" })),
      "UNKNOWN_USER",
      new RegExp(`${missing}`),
    );
    expect(await state()).toEqual(before);
  });

  it("a bill_id that belongs to another user is BILL_OWNED_BY_OTHER_USER and credits no one", async () => {
    const owner = await newUser();
    const intruder = await newUser();
    const bill = providerId();
    await webhook(input({ tx: providerId(), user: owner.numericId, bill, amount: "3.00" }));
    const before = await state();
    await rejectsWithAppError(
      webhook(input({ tx: providerId(), user: intruder.numericId, bill, amount: "1000.00" })),
      "BILL_OWNED_BY_OTHER_USER",
    );
    expect(await state()).toEqual(before);
  });

  it("a signature over anything else is INVALID_SIGNATURE; a signed but impossible amount is INVALID_AMOUNT", async () => {
    const user = await newUser();
    const p = { tx: providerId(), user: user.numericId, bill: providerId(), amount: "10" };
    const before = await state();
    await rejectsWithAppError(webhook(input(p, "another-key")), "INVALID_SIGNATURE");
    await rejectsWithAppError(webhook({ ...input(p), amount: "10.0" }), "INVALID_SIGNATURE");
    for (const amount of ["0", "0.001", "-1"]) {
      await rejectsWithAppError(webhook(input({ ...p, amount })), "INVALID_AMOUNT");
    }
    expect(await state()).toEqual(before);
  });
});
