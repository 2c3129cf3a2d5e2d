// Drives the README's walkthrough against a running server over plain REST, checking every answer:
// register → activate → sign in → admin creates a product → provider credits → buy → me → the shop's
// backend, with an API key, refunds a purchase → two-phase: authorize, capture part and void with the
// key → the user's statement → the key revoked.
// The client is generated from the OpenAPI document (openapi-typescript types in
// scripts/generated/openapi.d.ts + openapi-fetch), not the tRPC one: what any REST client would use.
//   npm start   (in another terminal), then   npm run walkthrough
// Environment: API_URL (default http://localhost:3000), ADMIN_LOGIN / ADMIN_PASSWORD and
// PAYMENT_PRIVATE_KEY (default: the development defaults).
import { randomInt } from "node:crypto";
import createClient from "openapi-fetch";
import { signWebhook } from "../src/services/payments.service.ts";
import type { paths } from "./generated/openapi.d.ts";

const base = (process.env.API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, "");
const adminLogin = process.env.ADMIN_LOGIN ?? "admin";
const adminPassword = process.env.ADMIN_PASSWORD ?? "admin12345";
const key = process.env.PAYMENT_PRIVATE_KEY ?? "test-private-key";

const api = createClient<paths>({ baseUrl: base });
const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

/** Checks an answer's status, prints one line, and returns its typed data (or error body). */
async function expectStatus<T extends { response: Response; data?: unknown; error?: unknown }>(
  what: string,
  expected: number,
  call: Promise<T>,
): Promise<T> {
  const result = await call;
  const line = `${result.response.status} ${what}`;
  if (result.response.status !== expected) {
    console.error(`✗ ${line} (expected ${expected})\n${JSON.stringify(result.error ?? result.data, null, 2)}`);
    process.exit(1);
  }
  console.log(`✓ ${line}`);
  return result;
}

function check(condition: boolean, what: string): asserts condition {
  if (!condition) {
    console.error(`✗ ${what}`);
    process.exit(1);
  }
  console.log(`✓ ${what}`);
}

const login = `walker${randomInt(1e9)}`;
const password = "walkthrough-password";

const { data: registered } = await expectStatus("POST /users", 201, api.POST("/users", { body: { login, password } }));
check(registered !== undefined && registered.isActive === false, "a new account is inactive");
const notYet = await expectStatus("POST /auth (not activated)", 403, api.POST("/auth", { body: { login, password } }));
check(notYet.error?.appCode === "NOT_ACTIVATED", "signing in before activation answers NOT_ACTIVATED");
const token = new URL(registered.activationUrl).pathname.split("/").at(-1)!;
const activate = () => api.GET("/users/activate/{token}", { params: { path: { token } } });
await expectStatus("GET /users/activate/{token}", 200, activate());
const again = await expectStatus("GET /users/activate/{token} (again)", 404, activate());
// (The error is typed JSON or an HTML page: the page is for browsers, this client asks for JSON.)
const againError = again.error as { appCode?: string } | undefined;
check(againError?.appCode === "ACTIVATION_LINK_INVALID", "an activation link works once");
const { data: session } = await expectStatus("POST /auth", 200, api.POST("/auth", { body: { login, password } }));
check(session !== undefined, "signed in");
const accessToken = session.accessToken;

const { data: admin } = await expectStatus(
  "POST /auth (admin)",
  200,
  api.POST("/auth", { body: { login: adminLogin, password: adminPassword } }),
);
check(admin !== undefined, "the admin signed in");
const { data: product } = await expectStatus(
  "POST /products",
  201,
  api.POST("/products", {
    body: { title: `Walkthrough ${login}`, description: "demo", price: "30.50" },
    ...bearer(admin.accessToken),
  }),
);
check(product !== undefined && product.price === "30.50", "the product costs 30.50");

// The provider writes the amount as it likes (100.0): the signature covers that exact text, so the
// body is sent as written instead of re-serialised.
const bill = randomInt(1, 2 ** 47);
const tx = randomInt(1, 2 ** 47);
const amount = "100.0";
const signature = signWebhook(key, { transaction_id: tx, user_id: registered.numericId, bill_id: bill, amount });
const webhookText = `{"signature":"${signature}","transaction_id":${tx},"user_id":${registered.numericId},"bill_id":${bill},"amount":${amount}}`;
const webhook = () =>
  api.POST("/payment/webhook", {
    body: { signature, transaction_id: tx, user_id: registered.numericId, bill_id: bill, amount },
    bodySerializer: () => webhookText,
  });
const { data: credit } = await expectStatus("POST /payment/webhook", 200, webhook());
check(credit?.balance === "100.00", "the provider's credit created the account with 100.00");
const { data: replay } = await expectStatus("POST /payment/webhook (replay)", 200, webhook());
check(replay?.status === "already_processed" && replay.balance === "100.00", "a replayed webhook credits nothing");

const { data: me } = await expectStatus("GET /users/me", 200, api.GET("/users/me", bearer(accessToken)));
const account = me?.accounts.find((a) => a.numericId === bill);
check(account?.balance === "100.00", "GET /users/me shows the new account");

const buy = () =>
  api.POST("/products/buy", { body: { productId: product.id, accountId: account.id }, ...bearer(accessToken) });
const { data: bought } = await expectStatus("POST /products/buy", 200, buy());
check(
  bought?.balance === "69.50" && "kind" in bought.purchase && bought.purchase.kind === "purchase",
  "the purchase debited 30.50",
);
await expectStatus("POST /products/buy", 200, buy());
await expectStatus("POST /products/buy", 200, buy());
const refused = await expectStatus("POST /products/buy (short)", 402, buy());
check(
  refused.error?.appCode === "INSUFFICIENT_FUNDS" && /short by 22\.00/.test(refused.error.message),
  "a purchase the balance cannot cover is refused (INSUFFICIENT_FUNDS), naming the shortfall",
);

const { data: after } = await expectStatus("GET /users/me", 200, api.GET("/users/me", bearer(accessToken)));
check(after?.accounts[0]?.balance === "8.50", "balance is 8.50 after three purchases and one refusal");
check(
  after.transactions.map((t) => t.kind).join(",") === "purchase,purchase,purchase,credit",
  "history shows three purchases and the credit, newest first",
);
// The shop's own backend: an administrator makes it an API key (shown once) with the scopes it needs.
const { data: apiKey } = await expectStatus(
  "POST /api-keys",
  201,
  api.POST("/api-keys", {
    body: { name: `walkthrough ${login}`, scopes: ["read", "money"] },
    ...bearer(admin.accessToken),
  }),
);
check(apiKey !== undefined && apiKey.key.startsWith("shop_sk_"), "the API key is shown once (shop_sk_…)");
const { data: refund } = await expectStatus(
  "POST /transactions/{id}/refund (API key)",
  201,
  api.POST("/transactions/{id}/refund", {
    params: { path: { id: bought.purchase.id } },
    body: { reason: "could not ship" },
    ...bearer(apiKey.key),
  }),
);
check(refund?.account.balance === "39.00", "the backend refunded the first purchase with its key (money scope)");
const outside = await expectStatus(
  "POST /products (API key without write)",
  403,
  api.POST("/products", { body: { title: "nope", description: "", price: "1" }, ...bearer(apiKey.key) }),
);
check(outside.error?.appCode === "INSUFFICIENT_SCOPE", "a call outside the key's scopes is INSUFFICIENT_SCOPE");

// Two-phase: alice authorizes (the price is held, nothing debited); the backend captures part with its
// key (the rest released); a second authorization is voided.
const { data: tea } = await expectStatus(
  "POST /products (tea)",
  201,
  api.POST("/products", {
    body: { title: `Tea ${login}`, description: "demo", price: "5.00" },
    ...bearer(admin.accessToken),
  }),
);
check(tea !== undefined, "a second product costs 5.00");
const hold = () =>
  api.POST("/products/buy", {
    body: { productId: tea.id, accountId: account.id, capture: false },
    ...bearer(accessToken),
  });
const { data: authorized } = await expectStatus("POST /products/buy (capture: false)", 201, hold());
check(
  authorized !== undefined &&
    "status" in authorized.purchase &&
    authorized.purchase.status === "authorized" &&
    "held" in authorized &&
    authorized.balance === "39.00" &&
    authorized.held === "5.00" &&
    authorized.available === "34.00",
  "authorized: 5.00 held, nothing debited (balance 39.00, available 34.00)",
);
const { data: captured } = await expectStatus(
  "POST /transactions/{id}/capture (API key)",
  201,
  api.POST("/transactions/{id}/capture", {
    params: { path: { id: authorized.purchase.id } },
    body: { amount: "2.50" },
    ...bearer(apiKey.key),
  }),
);
check(
  captured?.purchase.amount === "2.50" && captured.account.balance === "36.50" && captured.account.held === "0.00",
  "captured 2.50 of the 5.00 held: the rest released",
);
const { data: second } = await expectStatus("POST /products/buy (capture: false)", 201, hold());
check(second !== undefined, "authorized again");
const { data: voided } = await expectStatus(
  "POST /transactions/{id}/void (API key)",
  200,
  api.POST("/transactions/{id}/void", {
    params: { path: { id: second.purchase.id } },
    body: { reason: "out of stock" },
    ...bearer(apiKey.key),
  }),
);
check(
  voided?.authorization.status === "voided" && voided.account.available === "36.50",
  "voided: nothing debited, all available again",
);

const { data: statement } = await expectStatus(
  "GET /users/me/statement",
  200,
  api.GET("/users/me/statement", { params: { query: { accountId: account.id } }, ...bearer(accessToken) }),
);
// (The operation also answers text/csv with ?format=csv; without it, JSON.)
check(typeof statement === "object", "the statement is JSON without ?format=csv");
check(
  statement.openingBalance === "0.00" &&
    statement.totalIn === "130.50" &&
    statement.totalOut === "94.00" &&
    statement.closingBalance === "36.50",
  "the statement: 0.00 + 130.50 in − 94.00 out = 36.50 (the capture is a purchase; holds are not posted)",
);

await expectStatus(
  "DELETE /api-keys/{id}",
  200,
  api.DELETE("/api-keys/{id}", { params: { path: { id: apiKey.id } }, ...bearer(admin.accessToken) }),
);
const revoked = await expectStatus(
  "GET /transactions (revoked key)",
  401,
  api.GET("/transactions", bearer(apiKey.key)),
);
check(revoked.error?.appCode === "TOKEN_REVOKED", "a revoked key is refused at once");
console.log("walkthrough passed");
