// /metrics: what one process records (the cluster test checks the sum over workers and the listener).
import { describe, expect, it } from "vitest";
import { registry, trackPool } from "../src/metrics/metrics.ts";
import { bearer, createProduct, createUser, credit, providerId, useHarness, webhookBody } from "./harness.ts";

/** The value of one sample in Prometheus text (labels in any order), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe("metrics of one process", () => {
  const h = useHarness();

  it("counts requests by route template and status, purchases and credits with their cents", async () => {
    const admin = await createUser(h, { isAdmin: true });
    const user = await createUser(h);
    const product = await createProduct(h, admin, "30.00");
    const { accountId } = await credit(h, user, providerId(), "100.50");
    const buy = () =>
      h.http
        .post("/products/buy")
        .set(bearer(user))
        .set("Idempotency-Key", "metrics-1")
        .send({ productId: product.id, accountId });
    expect((await buy()).status).toBe(200);
    expect((await buy()).body.replayed).toBe(true);
    const broke = await createUser(h);
    const { accountId: brokeAccount } = await credit(h, broke, providerId(), "1");
    const refused = await h.http
      .post("/products/buy")
      .set(bearer(broke))
      .send({ productId: product.id, accountId: brokeAccount });
    expect(refused.status).toBe(402);
    const body = webhookBody(h, { tx: providerId(), user: user.numericId, bill: providerId(), amount: "7" });
    for (let i = 0; i < 2; i++)
      expect((await h.http.post("/payment/webhook").set("Content-Type", "application/json").send(body)).status).toBe(
        200,
      );
    const forged = body.replace(/"signature":"[0-9a-f]/, '"signature":"x');
    expect((await h.http.post("/payment/webhook").set("Content-Type", "application/json").send(forged)).status).toBe(
      400,
    );
    expect((await h.http.get(`/products/${product.id}`).set(bearer(admin))).status).toBe(200);
    expect((await h.http.get("/no/such/path/123")).status).toBe(404);

    const untrack = trackPool(() => h.db.poolStats?.()); // what server.ts does at start
    const text = await registry.metrics();
    untrack();
    const count = (route: string, method: string, status: string) =>
      sample(text, "http_request_duration_seconds_count", { route, method, status });
    expect(count("/products/buy", "POST", "200")).toBe(2);
    expect(count("/products/buy", "POST", "402")).toBe(1);
    expect(count("/payment/webhook", "POST", "200")).toBe(4);
    expect(count("/products/{id}", "GET", "200")).toBe(1);
    expect(count("unmatched", "GET", "404")).toBe(1);
    expect(text).not.toContain(product.id); // templates, never raw paths

    expect(sample(text, "shop_purchases_total", { outcome: "purchased" })).toBe(1);
    expect(sample(text, "shop_purchases_total", { outcome: "replayed" })).toBe(1);
    expect(sample(text, "shop_purchases_total", { outcome: "INSUFFICIENT_FUNDS" })).toBe(1);
    expect(sample(text, "shop_purchased_cents_total")).toBe(3000);
    expect(sample(text, "shop_webhooks_total", { outcome: "credited" })).toBe(3);
    expect(sample(text, "shop_webhooks_total", { outcome: "already_processed" })).toBe(1);
    expect(sample(text, "shop_webhooks_total", { outcome: "INVALID_INPUT" })).toBe(1); // refused by input validation
    expect(sample(text, "shop_credited_cents_total")).toBe(10050 + 100 + 700);

    expect(sample(text, "http_requests_in_flight")).toBe(0);
    expect(sample(text, "nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
    expect(sample(text, "db_pool_connections", { state: "max" })).toBe(h.db.engine === "postgres" ? 20 : 0);
  });
});
