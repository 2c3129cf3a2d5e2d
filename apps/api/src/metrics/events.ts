// Events out in /metrics (same registry as metrics.ts):
// - shop_webhook_deliveries_total{outcome}: attempts ending delivered, retrying (another attempt is
//   scheduled) or failed (none left);
// - shop_events_backlog{kind}: events committed but not numbered yet (unsequenced), and deliveries
//   pending (due or waiting for a retry);
// - shop_events_oldest_undelivered_seconds: the age of the oldest pending delivery (0 when none);
// - shop_events_nats_lag: events numbered but not yet published to NATS (absent without EVENTS_NATS_URL).
// The gauges are read from the database at scrape time; in a cluster every worker reads the same
// figures, so the primary keeps the maximum, not the sum.
import client from "prom-client";
import { registry } from "./metrics.ts";

export const webhookDeliveries = new client.Counter({
  name: "shop_webhook_deliveries_total",
  help: "Webhook attempts by outcome: delivered, retrying (another attempt scheduled) or failed (none left)",
  labelNames: ["outcome"] as const,
  registers: [registry],
});

export interface EventsGaugeSource {
  backlog(): Promise<{ unsequenced: number; pendingDeliveries: number; oldestUndeliveredSeconds: number | null }>;
  natsLag?(): Promise<number | null>;
}

const sources = new Set<EventsGaugeSource>();

/** Reports the event log's gauges from `source` until the returned function is called. */
export function trackEvents(source: EventsGaugeSource): () => void {
  sources.add(source);
  return () => sources.delete(source);
}

new client.Gauge({
  name: "shop_events_backlog",
  help: "Events committed but not numbered yet (unsequenced), and webhook deliveries pending",
  labelNames: ["kind"] as const,
  aggregator: "max",
  registers: [registry],
  async collect() {
    for (const source of sources) {
      const b = await source.backlog().catch(() => null);
      if (!b) continue;
      this.set({ kind: "unsequenced" }, b.unsequenced);
      this.set({ kind: "pending_deliveries" }, b.pendingDeliveries);
    }
  },
});

new client.Gauge({
  name: "shop_events_oldest_undelivered_seconds",
  help: "Age of the oldest pending webhook delivery (0 when none)",
  aggregator: "max",
  registers: [registry],
  async collect() {
    for (const source of sources) {
      const b = await source.backlog().catch(() => null);
      if (b) this.set(b.oldestUndeliveredSeconds ?? 0);
    }
  },
});

new client.Gauge({
  name: "shop_events_nats_lag",
  help: "Events numbered but not yet published to NATS JetStream",
  aggregator: "max",
  registers: [registry],
  async collect() {
    for (const source of sources) {
      const lag = await source.natsLag?.().catch(() => null);
      if (lag !== undefined && lag !== null) this.set(lag);
    }
  },
});
