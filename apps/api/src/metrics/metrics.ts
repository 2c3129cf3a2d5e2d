// Prometheus metrics (prom-client), in one registry of this process. A cluster primary gathers every
// worker's registry and sums them (metrics/server.ts), so the figures are for the whole server.
//
// - http_request_duration_seconds{method,route,status}: route is a template (`/products/{id}`), never a
//   raw path, so the label set stays bounded whatever clients send (http.ts).
// - http_requests_in_flight, db_pool_connections{state}, and Node's defaults (event-loop lag,
//   memory, GC, CPU) from collectDefaultMetrics.
// - Money: shop_purchases_total{outcome} and shop_webhooks_total{outcome} count answers of the purchase
//   and webhook procedures over REST and tRPC alike; shop_purchased_cents_total and
//   shop_credited_cents_total add the amounts in integer cents (a Prometheus sample is a float64:
//   exact up to 2^53 cents, about 90 trillion).
// - shop_cache_reads_total{cache,result}: the product list's cache (hit, miss, bypass).
import cluster from "node:cluster";
import client from "prom-client";
import { moneyToCents } from "@shop/contracts";

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });
// A cluster worker answers its primary's aggregation requests with this registry. prom-client installs
// the worker's side of that exchange only when an AggregatorRegistry is constructed (15.1.3), so one is.
client.AggregatorRegistry.setRegistries([registry]);
if (cluster.isWorker) new client.AggregatorRegistry();

export const httpDuration = new client.Histogram({
  name: "http_request_duration_seconds",
  help: "Time to answer an HTTP request, by route template and status",
  labelNames: ["method", "route", "status"] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const httpInFlight = new client.Gauge({
  name: "http_requests_in_flight",
  help: "HTTP requests received and not answered yet",
  registers: [registry],
});

interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}
const pools = new Set<() => PoolStats | undefined>();

new client.Gauge({
  name: "db_pool_connections",
  help: "PostgreSQL pool: open (total), idle and maximum connections, and queries waiting for one",
  labelNames: ["state"] as const,
  registers: [registry],
  collect() {
    const sum = { total: 0, idle: 0, waiting: 0, max: 0 };
    for (const read of pools) {
      const stats = read();
      if (!stats) continue;
      for (const key of Object.keys(sum) as (keyof PoolStats)[]) sum[key] += stats[key];
    }
    for (const [state, value] of Object.entries(sum)) this.set({ state }, value);
  },
});

/** Reports a database's pool in db_pool_connections until `untrack()` (PGlite has no pool: zeros). */
export function trackPool(read: () => PoolStats | undefined): () => void {
  pools.add(read);
  return () => pools.delete(read);
}

/** Reads through a change cache (repositories/change-cache.ts): hit, miss, or bypass while not listening. */
export const cacheReads = new client.Counter({
  name: "shop_cache_reads_total",
  help: "Reads of a per-process cache invalidated by NOTIFY: hit, miss, or bypass (not listening)",
  labelNames: ["cache", "result"] as const,
  registers: [registry],
});

const purchases = new client.Counter({
  name: "shop_purchases_total",
  help: "Answers of the purchase procedure: purchased, replayed (Idempotency-Key), or the error's appCode",
  labelNames: ["outcome"] as const,
  registers: [registry],
});
const purchasedCents = new client.Counter({
  name: "shop_purchased_cents_total",
  help: "Money debited by purchases (replays not counted), in cents",
  registers: [registry],
});
const webhooks = new client.Counter({
  name: "shop_webhooks_total",
  help: "Answers of the payment webhook: credited, already_processed, or the error's appCode",
  labelNames: ["outcome"] as const,
  registers: [registry],
});
const creditedCents = new client.Counter({
  name: "shop_credited_cents_total",
  help: "Money credited by the payment webhook (repeats not counted), in cents",
  registers: [registry],
});

type ProcedureResult = { ok: true; data: unknown } | { ok: false; error: { code: string } };

/**
 * Counts a procedure's answer when it is a purchase or a credit (its meta's `money`), called by the
 * procedures' first middleware over every transport.
 */
export function observeProcedure(money: "purchase" | "credit" | undefined, result: ProcedureResult): void {
  if (money === "purchase") {
    if (!result.ok) return void purchases.inc({ outcome: result.error.code });
    const data = result.data as { replayed?: boolean; purchase?: { amount?: string } };
    purchases.inc({ outcome: data.replayed ? "replayed" : "purchased" });
    if (!data.replayed && data.purchase?.amount) purchasedCents.inc(Number(moneyToCents(data.purchase.amount)));
  } else if (money === "credit") {
    if (!result.ok) return void webhooks.inc({ outcome: result.error.code });
    const data = result.data as { status?: string; amount?: string };
    webhooks.inc({ outcome: data.status ?? "ok" });
    if (data.status === "credited" && data.amount) creditedCents.inc(Number(moneyToCents(data.amount)));
  }
}
