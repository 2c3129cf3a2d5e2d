// The payment provider's webhook over HTTP (and a little over tRPC): signature over the amount as
// written, strict ids and amounts, ownership of bill_ids, idempotency by transaction_id, and the
// single-statement credit under concurrency.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type TestUser,
  createUser,
  ledgerAndBalance,
  providerId,
  rejectsWith,
  signature,
  webhookBody,
  useHarness,
} from "./harness.ts";
import { cents, money } from "./support/money.ts";

interface Vector {
  note: string;
  signed_text?: string;
  signature?: string;
  body: string;
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/webhook-vectors.json", import.meta.url), "utf8")) as {
  private_key: string;
  vectors: Vector[];
  invalid: Vector[];
};

describe("POST /payment/webhook", () => {
  const h = useHarness({ poolSize: 20 });
  /** Every signature the server would accept for a payload sent in this file: never echoed back. */
  const secrets = new Set<string>();

  beforeAll(async () => {
    expect(h.config.paymentPrivateKey).toBe(fixture.private_key);
  });

  /** A body with every field written exactly as given (raw JSON text), signed over those texts. */
  function rawBody(p: { tx: string; user: string; bill: string; amount: string; sigFields?: string[] }) {
    const [tx, user, bill, amount] = p.sigFields ?? [p.tx, p.user, p.bill, p.amount];
    const sig = signature(h.config.paymentPrivateKey, tx!, user!, bill!, amount!);
    secrets.add(sig);
    return `{"signature":"${sig}","transaction_id":${p.tx},"user_id":${p.user},"bill_id":${p.bill},"amount":${p.amount}}`;
  }

  /** A correctly signed body (amount written as a bare JSON number text). */
  function body(p: { tx: number; user: number; bill: number; amount: string }): string {
    secrets.add(signature(h.config.paymentPrivateKey, p.tx, p.user, p.bill, p.amount));
    return webhookBody(h, p);
  }

  async function post(text: string, contentType = "application/json") {
    const res = await h.http.post("/payment/webhook").set("Content-Type", contentType).send(text);
    for (const secret of secrets) expect(res.text.toLowerCase()).not.toContain(secret);
    return res;
  }

  async function counts() {
    const [accounts, ledger] = await Promise.all([h.db.prisma.account.count(), h.db.prisma.ledgerEntry.count()]);
    return { accounts, ledger };
  }

  async function balanceOfBill(bill: number): Promise<string | null> {
    const account = await h.db.prisma.account.findUnique({ where: { numericId: BigInt(bill) } });
    return account ? account.balance.toFixed(2) : null;
  }

  /** A user whose numeric id (the provider's user_id) is chosen here, away from the fixture's ids. */
  const newUser = (options: { isAdmin?: boolean } = {}) => createUser(h, { ...options, numericId: providerId() });

  describe("the fixture's vectors", () => {
    it("credits every valid vector, sent as its exact body text, with the exact amount", async () => {
      const users = new Set<number>();
      for (const v of fixture.vectors) users.add((JSON.parse(v.body) as { user_id: number }).user_id);
      for (const numericId of users) await createUser(h, { numericId });

      const expected = new Map<string, bigint>(); // bill → cents
      for (const v of fixture.vectors) {
        secrets.add(v.signature!);
        const [, tx, user, bill, amountText] = v.signed_text!.split(":") as [string, string, string, string, string];
        expect(v.body).toContain(`"amount": ${amountText}}`); // the amount is signed as written
        const before = expected.get(bill) ?? 0n;
        const res = await post(v.body);
        expect(res.status, `${v.note}: ${res.text}`).toBe(200);
        const after = before + cents(amountText);
        expected.set(bill, after);
        expect(res.body).toEqual({
          status: "credited",
          transactionId: Number(tx),
          accountId: expect.any(String),
          accountNumericId: Number(bill),
          amount: money(cents(amountText)),
          balance: money(after),
        });
        const account = await h.db.prisma.account.findUniqueOrThrow({
          where: { numericId: BigInt(bill) },
          include: { user: true },
        });
        expect(account.id).toBe(res.body.accountId);
        expect(account.balance.toFixed(2)).toBe(money(after));
        expect(account.user.numericId).toBe(BigInt(user));
        const entry = await h.db.prisma.ledgerEntry.findUniqueOrThrow({ where: { transactionId: BigInt(tx) } });
        expect(entry.kind).toBe("credit");
        expect(entry.amount.toFixed(2)).toBe(money(cents(amountText)));
      }
      // 100 + 100.0 on one bill, 50.5 on another, 0.01 + 100.50 on a third, 1 on the last.
      expect(Object.fromEntries([...expected].map(([b, c]) => [b, money(c)]))).toEqual({
        "123456": "200.00",
        "123457": "50.50",
        "42": "100.51",
        "1": "1.00",
      });
      // The largest safe transaction_id round-trips exactly.
      const top = await h.db.prisma.ledgerEntry.findUniqueOrThrow({ where: { transactionId: 9007199254740991n } });
      expect(top.transactionId).toBe(9007199254740991n);
    });

    it("refuses the invalid vector with 403 and changes nothing", async () => {
      const [v] = fixture.invalid;
      const parsed = JSON.parse(v!.body) as { transaction_id: number; user_id: number; bill_id: number };
      // The signature the server would have wanted (amount 11, as written): never revealed.
      secrets.add(signature(h.config.paymentPrivateKey, parsed.transaction_id, parsed.user_id, parsed.bill_id, "11"));
      const before = await counts();
      const balance = await balanceOfBill(parsed.bill_id);
      const res = await post(v!.body);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ message: "Invalid signature", code: "FORBIDDEN", appCode: "INVALID_SIGNATURE" });
      expect(await counts()).toEqual(before);
      expect(await balanceOfBill(parsed.bill_id)).toBe(balance);
      expect(await h.db.prisma.ledgerEntry.count({ where: { transactionId: BigInt(parsed.transaction_id) } })).toBe(0);
    });

    it("refuses the invalid vector on a fresh bill without creating the account", async () => {
      const user = await newUser();
      const bill = providerId();
      const tx = providerId();
      const wrong = signature(h.config.paymentPrivateKey, tx, user.numericId, bill, "10");
      secrets.add(signature(h.config.paymentPrivateKey, tx, user.numericId, bill, "11"));
      const before = await counts();
      const res = await post(
        `{"signature":"${wrong}","transaction_id":${tx},"user_id":${user.numericId},"bill_id":${bill},"amount":11}`,
      );
      expect(res.status).toBe(403);
      expect(await counts()).toEqual(before);
      expect(await balanceOfBill(bill)).toBeNull();
    });
  });

  describe("transport", () => {
    it("accepts Content-Type: application/json; charset=utf-8", async () => {
      const user = await newUser();
      const bill = providerId();
      const res = await post(
        body({ tx: providerId(), user: user.numericId, bill, amount: "12.34" }),
        "application/json; charset=utf-8",
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: "credited", amount: "12.34", balance: "12.34" });
      expect(await balanceOfBill(bill)).toBe("12.34");
    });

    it("needs no token and ignores a bogus one", async () => {
      const user = await newUser();
      const bill = providerId();
      const res = await h.http
        .post("/payment/webhook")
        .set("Content-Type", "application/json")
        .set("Authorization", "Bearer not-a-token")
        .send(body({ tx: providerId(), user: user.numericId, bill, amount: "1" }));
      expect(res.status).toBe(200);
      expect(res.body.status).toBe("credited");
    });

    it("accepts the amount as a JSON string, signed over the string's text", async () => {
      const user = await newUser();
      const bill = providerId();
      const tx = providerId();
      const sig = signature(h.config.paymentPrivateKey, tx, user.numericId, bill, "7.5");
      secrets.add(sig);
      const res = await post(
        `{"signature":"${sig}","transaction_id":${tx},"user_id":${user.numericId},"bill_id":${bill},"amount":"7.5"}`,
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ amount: "7.50", balance: "7.50" });
    });

    it("accepts an upper-case signature", async () => {
      const user = await newUser();
      const bill = providerId();
      const tx = providerId();
      const sig = signature(h.config.paymentPrivateKey, tx, user.numericId, bill, "3");
      secrets.add(sig);
      const res = await post(
        `{"signature":"${sig.toUpperCase()}","transaction_id":${tx},"user_id":${user.numericId},"bill_id":${bill},"amount":3}`,
      );
      expect(res.status).toBe(200);
    });

    it("answers 400 for malformed JSON", async () => {
      const res = await post(`{"signature": "abc", "transaction_id": 1,`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("PARSE_ERROR");
    });
  });

  describe("signatures", () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await newUser();
    });

    it("answers 400 when the signature is missing, without revealing it", async () => {
      const tx = providerId();
      const bill = providerId();
      secrets.add(signature(h.config.paymentPrivateKey, tx, user.numericId, bill, "10"));
      const before = await counts();
      const res = await post(`{"transaction_id":${tx},"user_id":${user.numericId},"bill_id":${bill},"amount":10}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("BAD_REQUEST");
      expect(await counts()).toEqual(before);
    });

    it.each([
      ["empty", '""'],
      ["not hex", `"${"z".repeat(40)}"`],
      ["too short", `"${"a".repeat(39)}"`],
      ["a number", "12345"],
      ["null", "null"],
    ])("answers 400 for a malformed signature (%s)", async (_name, sigJson) => {
      const tx = providerId();
      const bill = providerId();
      secrets.add(signature(h.config.paymentPrivateKey, tx, user.numericId, bill, "10"));
      const res = await post(
        `{"signature":${sigJson},"transaction_id":${tx},"user_id":${user.numericId},"bill_id":${bill},"amount":10}`,
      );
      expect(res.status).toBe(400);
    });

    it.each([
      ["another key", (tx: number, bill: number) => signature("another-key", tx, user.numericId, bill, "10")],
      ["another bill", (tx: number, bill: number) => signature("test-private-key", tx, user.numericId, bill + 1, "10")],
      ["another tx", (tx: number, bill: number) => signature("test-private-key", tx + 1, user.numericId, bill, "10")],
      [
        "the amount normalised",
        (tx: number, bill: number) => signature("test-private-key", tx, user.numericId, bill, "10.00"),
      ],
      ["all zeros", () => "0".repeat(40)],
    ])("answers 403 for a wrong signature (%s) and credits nothing", async (_name, make) => {
      const tx = providerId();
      const bill = providerId();
      secrets.add(signature(h.config.paymentPrivateKey, tx, user.numericId, bill, "10"));
      const before = await counts();
      const res = await post(
        `{"signature":"${make(tx, bill)}","transaction_id":${tx},"user_id":${user.numericId},"bill_id":${bill},"amount":10}`,
      );
      expect(res.status).toBe(403);
      expect(await counts()).toEqual(before);
    });
  });

  describe("ids", () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await newUser();
    });

    const unsafe = ["9007199254740992", "9007199254740993", "18446744073709551617", '"9007199254740993"'];
    const garbage = ["0", "-1", "1.5", "1.0", "1e3", '"abc"', '"12abc"', '""', '"-3"', "true", "null", "[1]", "{}"];

    for (const field of ["tx", "user", "bill"] as const) {
      it.each([...unsafe, ...garbage])(`answers 400 for ${field} = %s and credits nothing`, async (idText) => {
        const bill = providerId();
        const fields = { tx: String(providerId()), user: String(user.numericId), bill: String(bill), amount: "5" };
        fields[field] = idText;
        const before = await counts();
        const res = await post(rawBody(fields));
        expect(res.status, res.text).toBe(400);
        expect(res.body.code).toBe("BAD_REQUEST");
        expect(await counts()).toEqual(before);
        expect(await balanceOfBill(bill)).toBeNull();
      });
    }

    it("refuses transaction_id 2^53+1 even where it would round onto an existing safe id", async () => {
      // 9007199254740993 rounds to 9007199254740992 as a float; neither must be credited.
      const bill = providerId();
      const res = await post(
        rawBody({ tx: "9007199254740993", user: String(user.numericId), bill: String(bill), amount: "5" }),
      );
      expect(res.status).toBe(400);
      expect(await h.db.prisma.ledgerEntry.count({ where: { transactionId: 9007199254740992n } })).toBe(0);
    });

    it("accepts ids written as JSON strings of digits", async () => {
      const bill = providerId();
      const tx = providerId();
      const res = await post(
        rawBody({
          tx: `"${tx}"`,
          user: `"${user.numericId}"`,
          bill: `"${bill}"`,
          amount: "5",
          sigFields: [String(tx), String(user.numericId), String(bill), "5"],
        }),
      );
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ transactionId: tx, accountNumericId: bill, balance: "5.00" });
    });
  });

  describe("amounts", () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await newUser();
    });

    it.each([
      "0",
      "0.00",
      "-5",
      "-0.01",
      "1.001",
      "1e3",
      "1E3",
      '"abc"',
      '""',
      '"1,5"',
      "1000000000.01",
      "1000000001",
      "99999999999999",
      "true",
      "null",
      "[]",
    ])("answers 400 for amount %s (correctly signed) and credits nothing", async (amountText) => {
      const bill = providerId();
      const before = await counts();
      const signedAs = amountText.startsWith('"') ? JSON.parse(amountText) : amountText;
      const tx = providerId();
      const res = await post(
        rawBody({
          tx: String(tx),
          user: String(user.numericId),
          bill: String(bill),
          amount: amountText,
          sigFields: [String(tx), String(user.numericId), String(bill), String(signedAs)],
        }),
      );
      expect(res.status, res.text).toBe(400);
      expect(res.body.code).toBe("BAD_REQUEST");
      expect(await counts()).toEqual(before);
      expect(await balanceOfBill(bill)).toBeNull();
    });

    it("the refusal is about the amount, not the signature", async () => {
      const res = await post(
        rawBody({
          tx: String(providerId()),
          user: String(user.numericId),
          bill: String(providerId()),
          amount: "1.001",
        }),
      );
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/amount/);
    });

    it("accepts the largest amount, 1000000000.00", async () => {
      const bill = providerId();
      const res = await post(body({ tx: providerId(), user: user.numericId, bill, amount: "1000000000.00" }));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ amount: "1000000000.00", balance: "1000000000.00" });
      expect(await balanceOfBill(bill)).toBe("1000000000.00");
    });
  });

  describe("users and bills", () => {
    it("answers 404 for an unknown user_id and creates nothing", async () => {
      const bill = providerId();
      const before = await counts();
      const res = await post(body({ tx: providerId(), user: providerId(), bill, amount: "10" }));
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("NOT_FOUND");
      expect(await counts()).toEqual(before);
      expect(await balanceOfBill(bill)).toBeNull();
    });

    it("creates the account of an unknown bill_id for user_id, then credits it further", async () => {
      const user = await newUser();
      const bill = providerId();
      const first = await post(body({ tx: providerId(), user: user.numericId, bill, amount: "10" }));
      expect(first.status).toBe(200);
      const account = await h.db.prisma.account.findUniqueOrThrow({ where: { numericId: BigInt(bill) } });
      expect(account.userId).toBe(user.id);
      expect(account.id).toBe(first.body.accountId);
      const second = await post(body({ tx: providerId(), user: user.numericId, bill, amount: "2.50" }));
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({
        status: "credited",
        accountId: account.id,
        amount: "2.50",
        balance: "12.50",
      });
      expect(await h.db.prisma.account.count({ where: { userId: user.id } })).toBe(1);
      expect(await ledgerAndBalance(h, account.id)).toEqual({ ledger: "12.50", balance: "12.50" });
    });

    it("answers 409 for a bill_id owned by another user and changes nothing", async () => {
      const owner = await newUser();
      const intruder = await newUser();
      const bill = providerId();
      expect((await post(body({ tx: providerId(), user: owner.numericId, bill, amount: "10" }))).status).toBe(200);
      const before = await counts();
      const tx = providerId();
      const res = await post(body({ tx, user: intruder.numericId, bill, amount: "99" }));
      expect(res.status).toBe(409);
      expect(res.body.code).toBe("CONFLICT");
      expect(await counts()).toEqual(before);
      expect(await balanceOfBill(bill)).toBe("10.00");
      expect(await h.db.prisma.ledgerEntry.count({ where: { transactionId: BigInt(tx) } })).toBe(0);
      expect(await h.db.prisma.account.count({ where: { userId: intruder.id } })).toBe(0);
    });
  });

  describe("idempotency by transaction_id", () => {
    it("answers a repeat of the same payload with the original outcome and credits once", async () => {
      const user = await newUser();
      const bill = providerId();
      const tx = providerId();
      const text = body({ tx, user: user.numericId, bill, amount: "40" });
      const first = await post(text);
      expect(first.status).toBe(200);
      expect(first.body.status).toBe("credited");
      // Another credit moves the balance; the replay still reports the original outcome.
      expect((await post(body({ tx: providerId(), user: user.numericId, bill, amount: "5" }))).status).toBe(200);
      const again = await post(text);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ ...first.body, status: "already_processed" });
      expect(again.body.balance).toBe("40.00");
      expect(await balanceOfBill(bill)).toBe("45.00");
      expect(await h.db.prisma.ledgerEntry.count({ where: { transactionId: BigInt(tx) } })).toBe(1);
    });

    it('treats the same amount written differently (40 vs 40.0 vs "40.00") as the same payload', async () => {
      const user = await newUser();
      const bill = providerId();
      const tx = providerId();
      expect((await post(body({ tx, user: user.numericId, bill, amount: "40" }))).status).toBe(200);
      const again = await post(body({ tx, user: user.numericId, bill, amount: "40.0" }));
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ status: "already_processed", amount: "40.00", balance: "40.00" });
      expect(await balanceOfBill(bill)).toBe("40.00");
    });

    it.each([
      ["another amount", { amount: "41" }],
      ["another bill_id", { bill: "other" }],
      ["another user_id", { user: "other" }],
    ])("answers 409 for the same transaction_id with %s, changing nothing", async (_name, change) => {
      const user = await newUser();
      const other = await newUser();
      const bill = providerId();
      const tx = providerId();
      expect((await post(body({ tx, user: user.numericId, bill, amount: "40" }))).status).toBe(200);
      const before = await counts();
      const res = await post(
        body({
          tx,
          user: "user" in change ? other.numericId : user.numericId,
          bill: "bill" in change ? providerId() : bill,
          amount: "amount" in change ? change.amount! : "40",
        }),
      );
      expect(res.status).toBe(409);
      expect(res.body.code).toBe("CONFLICT");
      expect(await counts()).toEqual(before);
      expect(await balanceOfBill(bill)).toBe("40.00");
    });
  });

  describe("concurrency", () => {
    it("20 identical webhooks in parallel: all 2xx, exactly one ledger credit, credited once", async () => {
      const user = await newUser();
      const bill = providerId();
      const tx = providerId();
      const text = body({ tx, user: user.numericId, bill, amount: "25.50" });
      const responses = await Promise.all(Array.from({ length: 20 }, () => post(text)));
      for (const res of responses) expect(res.status, res.text).toBeGreaterThanOrEqual(200);
      for (const res of responses) expect(res.status, res.text).toBeLessThan(300);
      const statuses = responses.map((r) => r.body.status as string).sort();
      expect(statuses.filter((s) => s === "credited")).toHaveLength(1);
      expect(statuses.filter((s) => s === "already_processed")).toHaveLength(19);
      for (const res of responses) {
        expect(res.body).toMatchObject({
          transactionId: tx,
          accountNumericId: bill,
          amount: "25.50",
          balance: "25.50",
        });
      }
      expect(new Set(responses.map((r) => r.body.accountId)).size).toBe(1);
      expect(await h.db.prisma.ledgerEntry.count({ where: { transactionId: BigInt(tx) } })).toBe(1);
      const account = await h.db.prisma.account.findUniqueOrThrow({ where: { numericId: BigInt(bill) } });
      expect(account.balance.toFixed(2)).toBe("25.50");
      expect(await ledgerAndBalance(h, account.id)).toEqual({ ledger: "25.50", balance: "25.50" });
    });

    it("parallel first credits with different transaction_ids to one new bill_id: one account, each applied once", async () => {
      const user = await newUser();
      const bill = providerId();
      const amounts = Array.from({ length: 20 }, (_, i) => `${i + 1}.${String(i).padStart(2, "0")}`);
      const responses = await Promise.all(
        amounts.map((amount) => post(body({ tx: providerId(), user: user.numericId, bill, amount }))),
      );
      for (const res of responses) expect(res.status, res.text).toBe(200);
      for (const res of responses) expect(res.body.status).toBe("credited");
      const total = amounts.reduce((sum, a) => sum + cents(a), 0n);
      expect(await h.db.prisma.account.count({ where: { numericId: BigInt(bill) } })).toBe(1);
      const account = await h.db.prisma.account.findUniqueOrThrow({ where: { numericId: BigInt(bill) } });
      expect(account.userId).toBe(user.id);
      expect(new Set(responses.map((r) => r.body.accountId))).toEqual(new Set([account.id]));
      expect(account.balance.toFixed(2)).toBe(money(total));
      expect(await ledgerAndBalance(h, account.id)).toEqual({ ledger: money(total), balance: money(total) });
      // Each credit saw its own balance: the balances after form one chain ending at the total.
      const afters = responses.map((r) => cents(r.body.balance as string)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(new Set(afters).size).toBe(20);
      expect(afters.at(-1)).toBe(total);
      const entries = await h.db.prisma.ledgerEntry.findMany({ where: { accountId: account.id } });
      expect(entries).toHaveLength(20);
      // The ledger's times follow the order the balance changed in (taken after the row lock).
      const times = entries.sort((a, b) => a.balanceAfter.comparedTo(b.balanceAfter)).map((e) => e.createdAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it("two users racing to open the same new bill_id: one owns it, the other gets 409", async () => {
      const users = await Promise.all(Array.from({ length: 6 }, () => newUser()));
      const bill = providerId();
      const responses = await Promise.all(
        users.map((u) => post(body({ tx: providerId(), user: u.numericId, bill, amount: "10" }))),
      );
      const ok = responses.filter((r) => r.status === 200);
      expect(ok).toHaveLength(1);
      expect(responses.filter((r) => r.status === 409)).toHaveLength(5);
      const account = await h.db.prisma.account.findUniqueOrThrow({ where: { numericId: BigInt(bill) } });
      expect(account.balance.toFixed(2)).toBe("10.00");
      expect(await ledgerAndBalance(h, account.id)).toEqual({ ledger: "10.00", balance: "10.00" });
    });

    it("parallel repeats of one transaction_id with different amounts: one wins, the rest are 409", async () => {
      const user = await newUser();
      const bill = providerId();
      const tx = providerId();
      const responses = await Promise.all(
        ["1", "2", "3", "4", "5", "6", "7", "8"].map((amount) =>
          post(body({ tx, user: user.numericId, bill, amount })),
        ),
      );
      expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
      expect(responses.filter((r) => r.status === 409)).toHaveLength(7);
      const winner = responses.find((r) => r.status === 200)!;
      expect(await balanceOfBill(bill)).toBe(winner.body.amount);
    });
  });

  describe("over tRPC", () => {
    it("credits, replays and refuses like the REST route", async () => {
      const user = await newUser();
      const bill = providerId();
      const tx = providerId();
      const input = {
        signature: signature(h.config.paymentPrivateKey, tx, user.numericId, bill, "19.99"),
        transaction_id: tx,
        user_id: user.numericId,
        bill_id: bill,
        amount: "19.99",
      };
      const caller = h.caller();
      const first = await caller.payments.webhook(input);
      expect(first).toMatchObject({
        status: "credited",
        transactionId: tx,
        accountNumericId: bill,
        amount: "19.99",
        balance: "19.99",
      });
      const again = await caller.payments.webhook(input);
      expect(again).toEqual({ ...first, status: "already_processed" });

      const forged = caller.payments.webhook({ ...input, transaction_id: providerId() });
      await rejectsWith(forged, "FORBIDDEN");

      const unsafe = caller.payments.webhook({ ...input, transaction_id: 2 ** 53 });
      await rejectsWith(unsafe, "BAD_REQUEST");

      const conflicting = { ...input, amount: "20" };
      conflicting.signature = signature(h.config.paymentPrivateKey, tx, user.numericId, bill, "20");
      await rejectsWith(caller.payments.webhook(conflicting), "CONFLICT");
      expect(await balanceOfBill(bill)).toBe("19.99");
    });
  });
});
