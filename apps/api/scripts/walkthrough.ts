// Drives the README's walkthrough against a running server over plain REST, checking every answer:
// register → activate → sign in → admin creates a product → provider credits → buy → me.
//   npm start   (in another terminal), then   npm run walkthrough
// Environment: API_URL (default http://localhost:3000), ADMIN_LOGIN / ADMIN_PASSWORD and
// PAYMENT_PRIVATE_KEY (default: the development defaults).
import { randomInt } from "node:crypto";
import { signWebhook } from "../src/services/payments.service.ts";

const base = (process.env.API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, "");
const adminLogin = process.env.ADMIN_LOGIN ?? "admin";
const adminPassword = process.env.ADMIN_PASSWORD ?? "admin12345";
const key = process.env.PAYMENT_PRIVATE_KEY ?? "test-private-key";

type Json = Record<string, unknown> & { [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(method: string, path: string, expected: number, body?: unknown, token?: string): Promise<Json> {
  const url = path.startsWith("http") ? path : `${base}${path}`;
  const response = await fetch(url, {
    method,
    headers: {
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const json = (await response.json()) as Json;
  const line = `${method} ${url.replace(base, "")} → ${response.status}`;
  if (response.status !== expected) {
    console.error(`✗ ${line} (expected ${expected})\n${JSON.stringify(json, null, 2)}`);
    process.exit(1);
  }
  console.log(`✓ ${line}`);
  return json;
}

function check(condition: boolean, what: string) {
  if (!condition) {
    console.error(`✗ ${what}`);
    process.exit(1);
  }
  console.log(`✓ ${what}`);
}

const login = `walker${randomInt(1e9)}`;
const password = "walkthrough-password";

const registered = await call("POST", "/users", 201, { login, password });
check(registered.isActive === false, "a new account is inactive");
await call("POST", "/auth", 403, { login, password });
await call("GET", registered.activationUrl, 200);
await call("GET", registered.activationUrl, 404);
const { accessToken } = await call("POST", "/auth", 200, { login, password });

const admin = await call("POST", "/auth", 200, { login: adminLogin, password: adminPassword });
const product = await call(
  "POST",
  "/products",
  201,
  { title: `Walkthrough ${login}`, description: "demo", price: "30.50" },
  admin.accessToken,
);

const bill = randomInt(1, 2 ** 47);
const tx = randomInt(1, 2 ** 47);
const amount = "100.0";
const signature = signWebhook(key, { transaction_id: tx, user_id: registered.numericId, bill_id: bill, amount });
const webhook = `{"signature":"${signature}","transaction_id":${tx},"user_id":${registered.numericId},"bill_id":${bill},"amount":${amount}}`;
const credit = await call("POST", "/payment/webhook", 200, webhook);
check(credit.balance === "100.00", "the provider's credit created the account with 100.00");
const replay = await call("POST", "/payment/webhook", 200, webhook);
check(replay.status === "already_processed" && replay.balance === "100.00", "a replayed webhook credits nothing");

const me = await call("GET", "/users/me", 200, undefined, accessToken);
const account = me.accounts.find((a: Json) => a.numericId === bill);
check(account?.balance === "100.00", "GET /users/me shows the new account");

const bought = await call("POST", "/products/buy", 200, { productId: product.id, accountId: account.id }, accessToken);
check(bought.balance === "69.50", "the purchase debited 30.50");
await call("POST", "/products/buy", 200, { productId: product.id, accountId: account.id }, accessToken);
await call("POST", "/products/buy", 200, { productId: product.id, accountId: account.id }, accessToken);
const refused = await call("POST", "/products/buy", 402, { productId: product.id, accountId: account.id }, accessToken);
check(/short by 22\.00/.test(refused.message), "a purchase the balance cannot cover is refused, naming the shortfall");

const after = await call("GET", "/users/me", 200, undefined, accessToken);
check(after.accounts[0].balance === "8.50", "balance is 8.50 after three purchases and one refusal");
check(
  after.transactions.map((t: Json) => t.kind).join(",") === "purchase,purchase,purchase,credit",
  "history shows three purchases and the credit, newest first",
);
console.log("walkthrough passed");
