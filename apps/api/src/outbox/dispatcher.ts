// The dispatcher: runs in every server process (and alone on the embedded database). It
// - numbers committed events and fans them out to endpoints (events.repository `sequence`),
// - claims due deliveries (FOR UPDATE SKIP LOCKED: no attempt is taken twice, across processes and
//   hosts), sends them signed (Standard Webhooks), records every attempt and schedules the next one
//   (WEBHOOK_RETRY_SCHEDULE, with ±10 % jitter) or fails the delivery when none is left,
// - disables an endpoint failing without a success for WEBHOOK_DISABLE_AFTER_HOURS (audited, announced),
// - wakes on NOTIFY "events_out" (sent at commit by the event log's and the deliveries' triggers) and
//   on a timer set to the next due retry (at most 30 s away, as a safety net), never polling tightly,
// - keeps at most WEBHOOK_CONCURRENCY requests in flight,
// - on stop() takes nothing new and waits for the requests in flight (SIGTERM, server.ts). After a
//   kill -9, the attempts it held become due again when their lease ends (twice the timeout + 20 s).
import type { Db } from "@shop/db";
import type { Logger } from "pino";
import type { EventsConfig } from "../env.ts";
import { webhookDeliveries } from "../metrics/events.ts";
import { eventsRepository } from "../repositories/events.repository.ts";
import {
  type ClaimedDelivery,
  webhookEndpointDeliveriesRepository,
} from "../repositories/webhook-endpoint-deliveries.repository.ts";
import { webhookEndpointsRepository } from "../repositories/webhook-endpoints.repository.ts";
import { safePost } from "./safe-http.ts";
import { signedHeaders } from "./signing.ts";

export const EVENTS_CHANNEL = "events_out";

export interface Dispatcher {
  /** Runs a round now (also after a write in this process, without waiting for the NOTIFY). */
  wake(): void;
  /** Requests in flight now. */
  inFlight(): number;
  /** Takes nothing new; resolves when the requests in flight are recorded. */
  stop(): Promise<void>;
}

export interface DispatcherOptions {
  db: Pick<Db, "sql" | "listen">;
  config: EventsConfig;
  log: Logger;
  /** Called after each round that numbered events (the NATS relay's cue). */
  onSequenced?: () => void;
  /** Longest sleep between rounds when nothing is due (default 30 s). */
  idleSeconds?: number;
}

/** When attempt `attempt` (1-based) failed: the next one's time, or null when none is left. */
export function nextAttemptAt(schedule: readonly number[], attempt: number, now = Date.now()): Date | null {
  const delay = schedule[attempt - 1];
  if (delay === undefined) return null;
  const jitter = 0.9 + Math.random() * 0.2;
  return new Date(now + Math.round(delay * 1000 * jitter));
}

export async function startDispatcher(options: DispatcherOptions): Promise<Dispatcher> {
  const { db, config, log } = options;
  const events = eventsRepository(db);
  const deliveries = webhookEndpointDeliveriesRepository(db);
  const endpoints = webhookEndpointsRepository(db);
  const leaseSeconds = config.timeoutSeconds * 2 + 20;
  const idleMs = (options.idleSeconds ?? 30) * 1000;
  const running = new Set<Promise<void>>();
  let stopping = false;
  let busy: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const schedule = (ms: number) => {
    if (stopping) return;
    clearTimeout(timer);
    timer = setTimeout(wake, Math.max(10, Math.min(ms, idleMs)));
    timer.unref();
  };

  const send = async (claimed: ClaimedDelivery) => {
    const startedAt = new Date();
    const secrets = await endpoints.signingSecrets(claimed.endpointId);
    const result =
      secrets.length === 0
        ? { statusCode: null, body: null, error: "endpoint deleted", durationMs: 0 }
        : await safePost(
            claimed.url,
            { ...signedHeaders(secrets, claimed.messageId, startedAt, claimed.body) },
            claimed.body,
            {
              allowPrivate: config.allowPrivateUrls,
              requireHttps: config.requireHttps,
              timeoutMs: config.timeoutSeconds * 1000,
            },
          );
    const delivered = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const next = delivered ? null : nextAttemptAt(config.retrySchedule, claimed.attempt);
    const error =
      result.error ??
      (delivered
        ? null
        : result.statusCode !== null && result.statusCode >= 300 && result.statusCode < 400
          ? `redirect (${result.statusCode}) not followed`
          : `HTTP ${result.statusCode}`);
    const recorded = await deliveries.record({
      id: claimed.id,
      attempt: claimed.attempt,
      startedAt,
      durationMs: result.durationMs,
      statusCode: result.statusCode,
      responseBody: result.body,
      error,
      delivered,
      nextAttemptAt: next,
    });
    webhookDeliveries.inc({ outcome: delivered ? "delivered" : next ? "retrying" : "failed" });
    if (!delivered && recorded?.failingSince) {
      const disabled = await endpoints.disableFailing(recorded.endpointId, config.disableAfterHours);
      if (disabled)
        log.warn({ endpoint: disabled.id, url: disabled.url }, "webhook endpoint disabled: failing too long");
    }
  };

  const launch = (claimed: ClaimedDelivery) => {
    const task = send(claimed)
      .catch((error: unknown) => log.error({ err: error, delivery: claimed.id }, "webhook attempt not recorded"))
      .finally(() => {
        running.delete(task);
        wake();
      });
    running.add(task);
  };

  const round = async () => {
    const sequenced = await events.sequence();
    if (sequenced.sequenced > 0) options.onSequenced?.();
    while (!stopping && running.size < config.concurrency) {
      const claimed = await deliveries.claim(config.concurrency - running.size, leaseSeconds);
      for (const c of claimed) launch(c);
      if (claimed.length === 0) break;
    }
    const seconds = await deliveries.nextDueSeconds();
    schedule(seconds === null ? idleMs : seconds * 1000 + 5);
  };

  function wake() {
    if (stopping) return;
    if (busy) {
      again = true;
      return;
    }
    busy = (async () => {
      do {
        again = false;
        try {
          await round();
        } catch (error) {
          log.error({ err: error }, "events dispatcher round failed; retrying in 1 s");
          schedule(1000);
        }
      } while (again && !stopping);
      busy = undefined;
    })();
  }

  const unlisten = await db.listen(EVENTS_CHANNEL, (event) => {
    // `ready` (again, after a lost session): what was committed meanwhile was not heard, so look.
    if (event.type !== "lost") wake();
  });
  wake();

  return {
    wake,
    inFlight: () => running.size,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      unlisten();
      await busy;
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
