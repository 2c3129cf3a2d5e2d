// The purchase service called directly (no HTTP, no tRPC) over a real test database: the branches that
// are awkward to reach over HTTP — Idempotency-Key replays and the explanation of each refusal — each
// asserted by its appCode, and each refusal shown to change nothing.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { type BuyRequest, buyProduct } from "../../src/services/purchases.service.ts";
import {
  type TestUser,
  createProduct,
  createUser,
  credit,
  ledgerAndBalance,
  providerId,
  rejectsWithAppError,
  useHarness,
} from "../harness.ts";

describe("purchases.service buyProduct", () => {
  const h = useHarness();
  let admin: TestUser;
  let widget: { id: string };
  let gadget: { id: string };

  beforeAll(async () => {
    admin = await createUser(h, { isAdmin: true });
    widget = await createProduct(h, admin, "30.00", "Widget");
    gadget = await createProduct(h, admin, "5.00", "Gadget");
  });

  /** The answer's body; its status is 200 for a purchase, first time or replayed. */
  const buy = async (request: BuyRequest) => {
    const answer = await buyProduct(h.deps, request);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  /** A user with one account funded with `amount`. */
  async function funded(amount: string) {
    const user = await createUser(h);
    const bill = providerId();
    const { accountId } = await credit(h, user, bill, amount);
    return { user, bill, accountId };
  }

  /** What a refusal must leave untouched: the account's balance, its ledger, every ledger row. */
  async function state(accountId: string) {
    return { ...(await ledgerAndBalance(h, accountId)), entries: await h.db.prisma.ledgerEntry.count() };
  }

  describe("Idempotency-Key", () => {
    it("a retry with the same key and product answers the first purchase, replayed, and debits once", async () => {
      const { user, accountId } = await funded("100.00");
      const request = { userId: user.id, productId: widget.id, accountId, idempotencyKey: `k-${randomUUID()}` };
      const first = await buy(request);
      expect(first).toMatchObject({
        replayed: false,
        balance: "70.00",
        purchase: { kind: "purchase", amount: "30.00" },
      });

      const again = await buy(request);
      expect(again).toEqual({ ...first, replayed: true });
      expect(await ledgerAndBalance(h, accountId)).toEqual({ ledger: "70.00", balance: "70.00" });
      expect(await h.db.prisma.ledgerEntry.count({ where: { accountId, kind: "purchase" } })).toBe(1);
    });

    it("the replay repeats the first answer's balance, not the account's balance now", async () => {
      const { user, accountId } = await funded("100.00");
      const request = { userId: user.id, productId: widget.id, accountId, idempotencyKey: `k-${randomUUID()}` };
      const first = await buy(request);
      await buy({ ...request, idempotencyKey: undefined }); // a second, unkeyed purchase: 40.00 left
      const again = await buy(request);
      expect(again.replayed).toBe(true);
      expect(again.balance).toBe("70.00");
      expect(again.purchase.id).toBe(first.purchase.id);
    });

    it("the same key for another product is IDEMPOTENCY_KEY_REUSED and changes nothing", async () => {
      const { user, accountId } = await funded("100.00");
      const key = `k-${randomUUID()}`;
      await buy({ userId: user.id, productId: widget.id, accountId, idempotencyKey: key });
      const before = await state(accountId);
      await rejectsWithAppError(
        buy({ userId: user.id, productId: gadget.id, accountId, idempotencyKey: key }),
        "IDEMPOTENCY_KEY_REUSED",
      );
      expect(await state(accountId)).toEqual(before);
    });

    it("a refused purchase records no key: the same key buys once the account can pay", async () => {
      const { user, bill, accountId } = await funded("20.00");
      const request = { userId: user.id, productId: widget.id, accountId, idempotencyKey: `k-${randomUUID()}` };
      await rejectsWithAppError(buy(request), "INSUFFICIENT_FUNDS");
      await credit(h, user, bill, "10.00");
      const bought = await buy(request);
      expect(bought).toMatchObject({ replayed: false, balance: "0.00" });
    });
  });

  describe("refusals, explained", () => {
    it("a product that does not exist, or was deleted, is PRODUCT_NOT_FOUND", async () => {
      const { user, accountId } = await funded("100.00");
      const before = await state(accountId);
      await rejectsWithAppError(buy({ userId: user.id, productId: randomUUID(), accountId }), "PRODUCT_NOT_FOUND");
      const doomed = await createProduct(h, admin, "1.00", "Doomed");
      await h.db.prisma.product.update({ where: { id: doomed.id }, data: { deletedAt: new Date() } });
      await rejectsWithAppError(buy({ userId: user.id, productId: doomed.id, accountId }), "PRODUCT_NOT_FOUND");
      expect(await state(accountId)).toEqual(before);
    });

    it("someone else's account is ACCOUNT_NOT_FOUND, exactly like a missing one, and is not debited", async () => {
      const owner = await funded("100.00");
      const stranger = await createUser(h);
      const before = await state(owner.accountId);
      const theirs = await rejectsWithAppError(
        buy({ userId: stranger.id, productId: widget.id, accountId: owner.accountId }),
        "ACCOUNT_NOT_FOUND",
      );
      const missing = await rejectsWithAppError(
        buy({ userId: stranger.id, productId: widget.id, accountId: randomUUID() }),
        "ACCOUNT_NOT_FOUND",
      );
      expect(theirs.message).toBe(missing.message);
      expect(await state(owner.accountId)).toEqual(before);
    });

    it("a price above the balance is INSUFFICIENT_FUNDS, naming the price, the balance and the shortfall", async () => {
      const { user, accountId } = await funded("20.01");
      const before = await state(accountId);
      await rejectsWithAppError(
        buy({ userId: user.id, productId: widget.id, accountId }),
        "INSUFFICIENT_FUNDS",
        /the price is 30\.00, the balance 20\.01, short by 9\.99$/,
      );
      expect(await state(accountId)).toEqual(before);
    });
  });
});
