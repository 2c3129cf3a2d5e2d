// HTTP load with autocannon's programmatic API: fixed duration, N keep-alive connections, each
// request built just before it is sent (rotating users, tokens, products and transaction ids).
import autocannon from "autocannon";
import { signWebhook } from "../src/services/payments.service.ts";
import { bearer } from "../test/support/http.ts";
import type { ScenarioId } from "./config.ts";
import { accountId, HOT_USER, login, PASSWORD, PRODUCTS, productId, USERS } from "./database.ts";

export interface RequestShape {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpResult {
  /** 2xx responses per second. */
  rps: number;
  total: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  durationSec: number;
}

export async function runHttp(options: {
  url: string;
  connections: number;
  durationSec: number;
  next: () => RequestShape;
}): Promise<HttpResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSec,
    timeout: 30,
    requests: [
      {
        setupRequest: (request) => {
          const shape = options.next();
          request.method = shape.method;
          request.path = shape.path;
          request.headers = shape.body
            ? { ...shape.headers, "content-type": "application/json" }
            : { ...shape.headers };
          request.body = shape.body ?? "";
          return request;
        },
      },
    ],
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = count ?? 0;
  return {
    rps: result["2xx"] / result.duration,
    total: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    durationSec: result.duration,
  };
}

const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));
/** Users of the "spread" scenarios: everyone but the hot account's owner. */
const randomUser = () => randomInt(HOT_USER + 1, USERS);

export interface ScenarioContext {
  /** tokens[i] is user i's access token. */
  tokens: string[];
  paymentPrivateKey: string;
  /** The first transaction_id of this run; every request takes the next one. */
  nextTransactionId: () => number;
}

export const requestFactories: Record<ScenarioId, (ctx: ScenarioContext) => () => RequestShape> = {
  bare: () => () => ({ method: "GET", path: "/" }),

  products: (ctx: ScenarioContext) => () => ({
    method: "GET",
    path: "/products?limit=20",
    headers: bearer(ctx.tokens[randomUser()]!),
  }),

  me: (ctx: ScenarioContext) => () => ({
    method: "GET",
    path: "/users/me",
    headers: bearer(ctx.tokens[randomUser()]!),
  }),

  buy: (ctx: ScenarioContext) => () => {
    const user = randomUser();
    return {
      method: "POST",
      path: "/products/buy",
      headers: bearer(ctx.tokens[user]!),
      body: JSON.stringify({ productId: productId(randomInt(1, PRODUCTS)), accountId: accountId(user) }),
    };
  },

  "buy-hot": (ctx: ScenarioContext) => () => ({
    method: "POST",
    path: "/products/buy",
    headers: bearer(ctx.tokens[HOT_USER]!),
    body: JSON.stringify({ productId: productId(randomInt(1, PRODUCTS)), accountId: accountId(HOT_USER) }),
  }),

  /** The provider's credit: user i's bill_id is i; the amount is a bare JSON number, signed as written. */
  webhook: (ctx: ScenarioContext) => () => {
    const user = randomUser();
    const tx = ctx.nextTransactionId();
    const amount = "10.50";
    const signature = signWebhook(ctx.paymentPrivateKey, { transaction_id: tx, user_id: user, bill_id: user, amount });
    return {
      method: "POST",
      path: "/payment/webhook",
      body: `{"signature":"${signature}","transaction_id":${tx},"user_id":${user},"bill_id":${user},"amount":${amount}}`,
    };
  },

  login: () => () => ({
    method: "POST",
    path: "/auth",
    body: JSON.stringify({ login: login(randomUser()), password: PASSWORD }),
  }),
};
