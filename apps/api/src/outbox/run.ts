// Events out in a server process: the dispatcher (webhooks) and, with EVENTS_NATS_URL, the NATS relay,
// plus their gauges in /metrics. server.ts starts it after the app and stops it on SIGTERM.
import type { Db } from "@shop/db";
import type { Logger } from "pino";
import type { EventsConfig } from "../env.ts";
import { trackEvents } from "../metrics/events.ts";
import { eventsRepository } from "../repositories/events.repository.ts";
import { webhookEndpointDeliveriesRepository } from "../repositories/webhook-endpoint-deliveries.repository.ts";
import { startDispatcher } from "./dispatcher.ts";
import type { NatsRelay } from "./nats-relay.ts";

export async function startOutbox(options: { db: Pick<Db, "sql" | "listen">; config: EventsConfig; log: Logger }) {
  const { db, config, log } = options;
  let relay: NatsRelay | undefined;
  if (config.natsUrl) {
    const { startNatsRelay } = await import("./nats-relay.ts");
    relay = await startNatsRelay({ db, url: config.natsUrl, log });
    log.info("events relayed to NATS JetStream (stream SHOP_EVENTS)");
  }
  const dispatcher = await startDispatcher({ db, config, log, onSequenced: () => relay?.kick() });
  const untrack = trackEvents({
    async backlog() {
      const [b, pendingDeliveries] = await Promise.all([
        eventsRepository(db).backlog(),
        webhookEndpointDeliveriesRepository(db).pendingCount(),
      ]);
      return {
        unsequenced: b.unsequenced,
        pendingDeliveries,
        oldestUndeliveredSeconds: b.oldestUndeliveredSeconds,
      };
    },
    ...(relay ? { natsLag: () => relay.lag() } : {}),
  });
  return {
    dispatcher,
    relay,
    async stop() {
      untrack();
      await Promise.all([dispatcher.stop(), relay?.stop()]);
    },
  };
}
