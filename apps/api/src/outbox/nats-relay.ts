// The event log relayed to NATS JetStream: stream SHOP_EVENTS, subject `shop.events.<type>`, header
// `Nats-Msg-Id` = the event's id (JetStream drops a repeat within its duplicate window) and
// `Shop-Event-Seq` = its seq.
//
// Nothing lost, nothing reordered, across restarts and NATS outages:
// - the last published seq is stored (event_relays row "nats"); a relay starts after it;
// - events are published one at a time, each after the previous one's acknowledgement, in seq order:
//   a failure stops the run and the next run starts again at the first unacknowledged event;
// - before publishing (at each start and after each failure) the relay reads the stream's last message
//   and moves the stored seq up to its `Shop-Event-Seq`: an event stored by JetStream whose
//   acknowledgement was lost (or whose seq we crashed before storing) is not published twice, even after
//   the duplicate window;
// - one relay publishes at a time: the row is leased (30 s, renewed each batch); a process that dies
//   leaves it to another after the lease.
import { randomUUID } from "node:crypto";
import type { Db } from "@shop/db";
import { connect, headers, type JetStreamClient, type JetStreamManager, type NatsConnection } from "nats";
import type { Logger } from "pino";
import { eventsRepository } from "../repositories/events.repository.ts";
import { eventRelaysRepository } from "../repositories/event-relays.repository.ts";

export const NATS_STREAM = "SHOP_EVENTS";
export const NATS_SUBJECT_PREFIX = "shop.events.";
const RELAY = "nats";
const LEASE_SECONDS = 30;
const BATCH = 500;

export interface NatsRelay {
  kick(): void;
  /** Events numbered and not yet published (for metrics); null when not known. */
  lag(): Promise<number | null>;
  stop(): Promise<void>;
}

export async function startNatsRelay(options: {
  db: Pick<Db, "sql">;
  url: string;
  log: Logger;
  /** Default: 1 s after a failure, 5 s idle. */
  retryMs?: number;
}): Promise<NatsRelay> {
  const { db, log } = options;
  const owner = randomUUID();
  const events = eventsRepository(db);
  const relays = eventRelaysRepository(db);
  const retryMs = options.retryMs ?? 1000;
  let nc: NatsConnection | undefined;
  let js: JetStreamClient | undefined;
  let jsm: JetStreamManager | undefined;
  /** The stream's last message was read since the last failure (see the header comment). */
  let reconciled = false;
  let stopping = false;
  let busy: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const schedule = (ms: number) => {
    if (stopping) return;
    clearTimeout(timer);
    timer = setTimeout(kick, ms);
    timer.unref();
  };

  const ensureConnected = async () => {
    if (nc && !nc.isClosed()) return;
    nc = await connect({
      servers: options.url,
      name: "shop-events-relay",
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
    void nc.closed().then(() => {
      nc = undefined;
    });
    jsm = await nc.jetstreamManager();
    try {
      await jsm.streams.info(NATS_STREAM);
    } catch {
      await jsm.streams.add({ name: NATS_STREAM, subjects: [`${NATS_SUBJECT_PREFIX}>`] });
      log.info({ stream: NATS_STREAM }, "NATS JetStream stream created");
    }
    js = nc.jetstream();
    reconciled = false;
  };

  /** Moves the stored seq up to the stream's last message (published, not yet recorded). */
  const reconcile = async () => {
    const info = await jsm!.streams.info(NATS_STREAM);
    if (info.state.messages > 0) {
      const last = await jsm!.streams.getMessage(NATS_STREAM, { seq: info.state.last_seq });
      const seq = Number(last.header.get("Shop-Event-Seq"));
      if (Number.isSafeInteger(seq) && seq > 0) await relays.advance(RELAY, owner, seq, LEASE_SECONDS);
    }
    reconciled = true;
  };

  const run = async (): Promise<boolean> => {
    const lease = await relays.lease(RELAY, owner, LEASE_SECONDS);
    if (lease === null) return false; // another process relays
    await ensureConnected();
    if (!reconciled) await reconcile();
    let after = (await relays.lease(RELAY, owner, LEASE_SECONDS)) ?? lease;
    const batch = await events.list({ after, limit: BATCH });
    for (const event of batch) {
      if (stopping) break;
      const h = headers();
      h.set("Shop-Event-Seq", String(event.seq));
      await js!.publish(`${NATS_SUBJECT_PREFIX}${event.type}`, JSON.stringify(event), {
        msgID: event.id,
        headers: h,
        timeout: 5000,
      });
      after = event.seq;
      // Every 100 events and at the end: a crash re-reads at most that many (and reconcile skips them).
      if (event.seq === batch[batch.length - 1]!.seq || batch.indexOf(event) % 100 === 99) {
        await relays.advance(RELAY, owner, after, LEASE_SECONDS);
      }
    }
    return batch.length === BATCH;
  };

  function kick() {
    if (stopping) return;
    if (busy) {
      again = true;
      return;
    }
    busy = (async () => {
      let more = true;
      while (more && !stopping) {
        again = false;
        try {
          more = (await run()) || again;
        } catch (error) {
          reconciled = false;
          log.warn({ err: (error as Error).message }, "NATS relay: publishing failed; retrying");
          schedule(retryMs);
          break;
        }
      }
      busy = undefined;
      schedule(5 * retryMs);
    })();
  }

  kick();
  return {
    kick,
    async lag() {
      return (await events.lastSeq()) - (await relays.lastSeq(RELAY));
    },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await busy;
      await relays.release(RELAY, owner).catch(() => {});
      await nc?.drain().catch(() => {});
    },
  };
}
