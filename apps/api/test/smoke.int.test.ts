import { describe, expect, it } from "vitest";
import { bearer, createProduct, createUser, credit, providerId, useHarness } from "./harness.ts";

describe("smoke: a user is credited and buys", () => {
  const h = useHarness();

  it("works over REST and over tRPC", async () => {
    const admin = await createUser(h, { isAdmin: true });
    const user = await createUser(h);
    const product = await createProduct(h, admin, "30.00");
    const { accountId } = await credit(h, user, providerId(), "100");
    const res = await h.http.post("/products/buy").set(bearer(user)).send({ productId: product.id, accountId });
    expect(res.status).toBe(200);
    expect(res.body.balance).toBe("70.00");
    const me = await h.caller(user.token).me.get();
    expect(me.accounts).toEqual([expect.objectContaining({ id: accountId, balance: "70.00" })]);
  });
});
