// The event log relayed to NATS JetStream (stream SHOP_EVENTS, subject shop.events.<type>, Nats-Msg-Id =
// the event id): a consumer reads every event once, in seq order, across a NATS restart, a relay restart
// and a lost "last published seq". Runs its own nats-server (another port, its own store directory).
import type { TEvent } from "@shop/contracts";
import { connect, type NatsConnection } from "nats";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NATS_STREAM, type NatsRelay, startNatsRelay } from "../src/outbox/nats-relay.ts";
import { eventsRepository } from "../src/repositories/events.repository.ts";
import { useHarness } from "./harness.ts";
import { type NatsServer, natsServer } from "./support/nats-server.ts";

const h = useHarness();
const log = pino({ level: "silent" });
let nats: NatsServer;

beforeAll(async () => {
  nats = await natsServer();
});
afterAll(async () => {
  await nats?.dispose();
});

async function append(n: number, from = 0): Promise<string[]> {
  const events = eventsRepository(h.db);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await events.append("product.updated", { i: from + i }));
  await events.sequence();
  return ids;
}

/** Every message of the stream, in stream order, read by a fresh ordered consumer. */
async function readStream(expected: number): Promise<{ id: string; subject: string; event: TEvent }[]> {
  const nc: NatsConnection = await connect({ servers: nats.url });
  try {
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(NATS_STREAM);
    const consumer = await nc.jetstream().consumers.get(NATS_STREAM);
    const out: { id: string; subject: string; event: TEvent }[] = [];
    while (out.length < info.state.messages) {
      const batch = await consumer.fetch({ max_messages: 500, expires: 2000 });
      for await (const m of batch) {
        out.push({ id: m.headers?.get("Nats-Msg-Id") ?? "", subject: m.subject, event: m.json<TEvent>() });
      }
    }
    expect(out.length).toBeGreaterThanOrEqual(expected);
    return out;
  } finally {
    await nc.close();
  }
}

async function until(check: () => Promise<boolean>, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

const relayed = async (relay: NatsRelay) => (await relay.lag()) === 0;

describe("NATS JetStream relay", () => {
  it("every event once, in order, across a NATS restart, a relay restart and a lost last-published seq", async () => {
    let relay = await startNatsRelay({ db: h.db, url: nats.url, log, retryMs: 100 });
    const ids = await append(150);
    relay.kick();
    await until(() => relayed(relay));

    // NATS goes away while events keep coming; they wait in the outbox.
    await nats.stop();
    ids.push(...(await append(150, 150)));
    relay.kick();
    await new Promise((r) => setTimeout(r, 500));
    expect(await relay.lag()).toBeGreaterThan(0);
    await nats.start();
    await until(() => relayed(relay));

    // The relay restarts (another process takes over), and its stored position is lost (as if it died
    // after publishing and before storing): the stream's last message tells where it stands.
    await relay.stop();
    await h.db.prisma.$executeRawUnsafe(`UPDATE event_relays SET last_seq = 0 WHERE name = 'nats'`);
    relay = await startNatsRelay({ db: h.db, url: nats.url, log, retryMs: 100 });
    ids.push(...(await append(100, 300)));
    relay.kick();
    await until(() => relayed(relay));
    await relay.stop();

    const got = await readStream(ids.length);
    expect(got.map((m) => m.id)).toEqual(ids);
    expect(got.map((m) => m.event.id)).toEqual(ids);
    expect(got.every((m) => m.subject === "shop.events.product.updated")).toBe(true);
    const seqs = got.map((m) => m.event.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(got.map((m) => m.event.data.i)).toEqual(ids.map((_, i) => i));
  });

  it("one relay at a time: a second one waits for the first's lease", async () => {
    const first = await startNatsRelay({ db: h.db, url: nats.url, log, retryMs: 100 });
    const second = await startNatsRelay({ db: h.db, url: nats.url, log, retryMs: 100 });
    const before = (await readStream(0)).length;
    await append(50, 1000);
    first.kick();
    second.kick();
    await until(() => relayed(first));
    await Promise.all([first.stop(), second.stop()]);
    const after = await readStream(before + 50);
    expect(after.length).toBe(before + 50);
    expect(new Set(after.map((m) => m.id)).size).toBe(after.length);
  });
});
