// Events out at volume, on PostgreSQL: two API server processes (two "hosts", each with its own
// dispatcher and NATS relay) on one database, 10,000 events written by concurrent transactions while
// they run, a local webhook receiver, and a private nats-server restarted in the middle. Prints the
// figures; asserts nothing about time. Exits 1 if a webhook attempt was sent twice or JetStream does
// not hold every event once, in seq order.
//
//   tsx apps/api/bench/events.ts            (root script: npm run bench:events)
//
// DATABASE_URL      PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres); a fresh
//                   database is created beside it and dropped at the end
// EVENTS_BENCH_N    events (default 10000)
import { setTimeout as sleep } from "node:timers/promises";
import { createDb } from "@shop/db";
import { createEmptyPostgresDb, testDbOptions } from "@shop/db/testing";
import { connect } from "nats";
import { NATS_STREAM } from "../src/outbox/nats-relay.ts";
import { webhookEndpointsRepository } from "../src/repositories/webhook-endpoints.repository.ts";
import { natsServer } from "../test/support/nats-server.ts";
import { startReceiver } from "../test/support/receiver.ts";
import { type ApiServer, startApiServer } from "../test/reliability/api-server.ts";
import { newSigningSecret } from "../src/outbox/signing.ts";

const N = Number(process.env.EVENTS_BENCH_N ?? 10_000);
const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const empty = await createEmptyPostgresDb(serverUrl);
const db = await createDb({ ...testDbOptions(empty.url), poolSize: 20 });
const receiver = await startReceiver();
const nats = await natsServer();
const servers: ApiServer[] = [];
let failed = false;
try {
  await webhookEndpointsRepository(db).insert({
    url: `${receiver.url}/bench`,
    description: "bench",
    eventTypes: ["product.updated"],
    secret: newSigningSecret(),
  });
  const env = {
    WEBHOOK_ALLOW_PRIVATE_URLS: "true",
    WEBHOOK_CONCURRENCY: "32",
    EVENTS_NATS_URL: nats.url,
    LOG_LEVEL: "error",
  };
  servers.push(
    ...(await Promise.all([
      startApiServer({ name: "host-a", databaseUrl: empty.url, env }),
      startApiServer({ name: "host-b", databaseUrl: empty.url, env }),
    ])),
  );

  // 10,000 events from 100 transactions of 100 rows, 10 at a time, while both hosts dispatch.
  const started = Date.now();
  const writers = Array.from({ length: 10 }, async (_, w) => {
    for (let t = w; t < N / 100; t += 10) {
      await db.prisma.$executeRawUnsafe(
        `INSERT INTO events (type, data, created_at)
         SELECT 'product.updated', jsonb_build_object('i', ${t * 100} + g), clock_timestamp()
           FROM generate_series(0, 99) g`,
      );
    }
  });
  // NATS restarts in the middle of the run.
  const restart = (async () => {
    await sleep(1500);
    await nats.stop();
    await sleep(2000);
    await nats.start();
  })();
  await Promise.all([...writers, restart]);
  const written = Date.now() - started;

  const distinct = new Set<string>();
  for (;;) {
    for (const r of receiver.received) distinct.add(r.headers["webhook-id"] as string);
    if (distinct.size >= N || Date.now() - started > 600_000) break;
    await sleep(200);
  }
  const delivered = Date.now() - started;
  await sleep(2000); // anything sent twice would arrive by now
  const ids = receiver.received.map((r) => r.headers["webhook-id"] as string);
  const duplicates = ids.length - new Set(ids).size;
  const [attempts] = await db.prisma.$queryRawUnsafe<{ attempts: number; retried: number; hosts: number }[]>(
    `SELECT (SELECT count(*) FROM webhook_endpoint_attempts)::int AS attempts,
            (SELECT count(*) FROM webhook_endpoint_deliveries WHERE attempts > 1)::int AS retried,
            0 AS hosts`,
  );

  // JetStream: wait for the relay, then read the whole stream with an ordered consumer.
  const nc = await connect({ servers: nats.url });
  const jsm = await nc.jetstreamManager();
  for (;;) {
    const info = await jsm.streams.info(NATS_STREAM).catch(() => null);
    if ((info?.state.messages ?? 0) >= N || Date.now() - started > 600_000) break;
    await sleep(200);
  }
  const relayed = Date.now() - started;
  const consumer = await nc.jetstream().consumers.get(NATS_STREAM);
  const seqs: number[] = [];
  const natsIds: string[] = [];
  const total = (await jsm.streams.info(NATS_STREAM)).state.messages;
  while (seqs.length < total) {
    for await (const m of await consumer.fetch({ max_messages: 1000, expires: 2000 })) {
      const event = m.json<{ id: string; seq: number }>();
      seqs.push(event.seq);
      natsIds.push(event.id);
    }
  }
  await nc.close();
  const inOrder = seqs.every((s, i) => i === 0 || s > seqs[i - 1]!);
  const natsDuplicates = natsIds.length - new Set(natsIds).size;

  const figures = {
    events: N,
    writtenInMs: written,
    webhooks: {
      hosts: servers.length,
      requests: ids.length,
      distinctWebhookIds: new Set(ids).size,
      duplicates,
      attemptsRecorded: attempts!.attempts,
      deliveriesRetried: attempts!.retried,
      allDeliveredAfterMs: delivered,
      perSecond: Math.round((N * 1000) / delivered),
    },
    nats: {
      restartedMidRun: true,
      messages: total,
      duplicates: natsDuplicates,
      inSeqOrder: inOrder,
      allRelayedAfterMs: relayed,
    },
  };
  console.log(JSON.stringify(figures, null, 2));
  failed = duplicates !== 0 || new Set(ids).size !== N || total !== N || natsDuplicates !== 0 || !inOrder;
} finally {
  await Promise.all(servers.map((s) => s.stop()));
  await receiver.close();
  await nats.dispose();
  await db.close();
  await empty.drop();
}
process.exit(failed ? 1 : 0);
