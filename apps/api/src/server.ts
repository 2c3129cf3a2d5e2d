// One server process (alone, or one cluster worker — cluster.ts): database (migrated), the admin
// account, then HTTP. SIGTERM / SIGINT stop accepting connections, let requests in flight finish, then
// close the database.
import cluster from "node:cluster";
import { createServer } from "node:http";
import { createDb } from "@shop/db";
import type { Logger } from "pino";
import type { AppConfig } from "./env.ts";
import { dummyHash } from "./auth/passwords.ts";
import { yieldingLane } from "./reports-lane.ts";
import { AdminLoginTakenError, ensureAdmin } from "./services/admin-bootstrap.service.ts";
import { createLoginLimiter } from "./services/login-limiter.ts";

export async function runServer(config: AppConfig, log: Logger): Promise<void> {
  void dummyHash(); // on libuv's thread pool, while the rest starts
  // Express, tRPC and the routers load (about 0.4 s) while the database opens.
  const appModule = import("./app.ts");
  appModule.catch(() => {}); // a failure surfaces where it is awaited
  // A database that cannot be opened (a data directory locked by another server, PostgreSQL
  // unreachable) is a one-line message, not a stack.
  const db = await createDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    directUrl: config.databaseDirectUrl,
    preparedStatements: config.databasePreparedStatements,
    log: (message) => log.info(message),
  }).catch((error: unknown) => {
    log.fatal(`cannot open the database: ${(error as Error).message}`);
    process.exit(1);
  });
  log.info({ engine: db.engine }, db.engine === "pglite" ? "embedded database (PGlite)" : "PostgreSQL");
  // Reports, listings and exports read through a lane of their own: a streaming replica
  // (DATABASE_READ_URL; never migrated: it replays the primary), or else a small pool of the primary's
  // connections (DATABASE_REPORTS_POOL_SIZE), so that operators' reads can never take more than that
  // many of the database's sessions from the money path — however many reports are asked at once, the
  // rest wait their turn here. The embedded database has one session: there everything shares it.
  // On the primary each of the lane's sessions also stays one process: no parallel workers (a report
  // reads little; a Gather would start two more processes for it, and the auditor's full check just
  // takes longer). A replica keeps them.
  const readUrl = config.databaseReadUrl ?? (db.engine === "pglite" ? undefined : config.databaseUrl);
  const readDb = readUrl
    ? await createDb({
        databaseUrl: readUrl,
        migrate: false,
        poolSize: config.databaseReportsPoolSize,
        preparedStatements: config.databasePreparedStatements,
        ...(config.databaseReadUrl ? {} : { sessionSettings: { max_parallel_workers_per_gather: "0" } }),
        log: (message) => log.info(message),
      }).catch((error: unknown) => {
        log.fatal(
          `cannot open the ${config.databaseReadUrl ? "read replica (DATABASE_READ_URL)" : "reports' pool"}: ${(error as Error).message}`,
        );
        process.exit(1);
      })
    : undefined;
  if (config.databaseReadUrl) log.info("reports, listings and exports read the replica (DATABASE_READ_URL)");
  // On the primary the lane yields to the money path (reports-lane.ts).
  const lane =
    readDb && !config.databaseReadUrl
      ? {
          ...readDb,
          sql: yieldingLane(readDb.sql, {
            sharePercent: config.databaseReportsShare,
            sessions: config.databaseReportsPoolSize,
            // Any statement out or waiting: under purchases the pool is rarely without one (counting
            // only two or more, the loops got half as many answers again, and purchases kept 79 %).
            busy: () => {
              const pool = db.poolStats?.();
              return !!pool && (pool.total > pool.idle || pool.waiting > 0);
            },
          }),
        }
      : readDb;
  const closeDbs = async () => {
    clearInterval(rollups);
    await readDb?.close();
    await db.close();
  };
  // The reports' roll-ups (rollups.repository.ts), on the primary, every second and at start; concurrent
  // workers skip while one runs. Never on the purchase path: a request does not wait for it.
  const { rollupsRepository } = await import("./repositories/rollups.repository.ts");
  let rolling = false;
  let runs = 0;
  const rollUp = async () => {
    if (rolling) return;
    rolling = true;
    try {
      await rollupsRepository(db).run({ steps: 5 });
      // Every tenth run, the job's own tables are vacuumed (rollupsRepository.tidy).
      if (++runs % 10 === 0) await rollupsRepository(db).tidy();
    } catch (error) {
      log.warn({ err: error }, "report roll-up failed (reports stay exact, they read more of the ledger)");
    } finally {
      rolling = false;
    }
  };
  // Every second: what a report reads live is the ledger after the watermark, so the watermark follows
  // the writes closely (a run with nothing to fold is three index look-ups).
  const rollups = setInterval(() => void rollUp(), 1_000);
  rollups.unref();
  void rollUp();

  // Start-up never makes an existing non-admin admin: it stops with the reason (the CLI promotes).
  const admin = await ensureAdmin(db, { login: config.adminLogin, password: config.adminPassword }).catch(
    async (error: unknown) => {
      if (!(error instanceof AdminLoginTakenError)) throw error;
      log.fatal(error.message);
      await closeDbs();
      process.exit(1);
    },
  );
  if (admin.action !== "unchanged") log.info({ login: config.adminLogin }, `admin account ${admin.action}`);

  const loginLimiter = createLoginLimiter(config.loginLimits, config.redisUrl);
  log.info(
    config.redisUrl ? "sign-in limits kept in Redis" : "sign-in limits kept in memory (set REDIS_URL to share them)",
  );
  let stopping = false;
  const { createApp } = await appModule;
  const { trackPool } = await import("./metrics/metrics.ts");
  trackPool(() => db.poolStats?.());
  // One process: its own /metrics listener. A cluster worker's metrics are served by the primary.
  const metricsServer =
    config.metricsPort !== undefined && !cluster.isWorker
      ? await import("./metrics/server.ts").then(async (m) =>
          m.startMetricsServer({
            port: config.metricsPort!,
            host: config.host,
            log,
            source: await m.processMetricsSource(),
          }),
        )
      : undefined;
  const app = createApp({ db, readDb: lane, config, log, loginLimiter });
  // Events out: the webhook dispatcher and, with EVENTS_NATS_URL, the JetStream relay (outbox/).
  const outbox = config.events.dispatcher
    ? await import("./outbox/run.ts").then((m) => m.startOutbox({ db, config: config.events, log }))
    : undefined;
  // While draining, every answer closes its connection, so keep-alive clients move on and the
  // server can finish.
  const server = createServer((req, res) => {
    if (stopping) res.setHeader("Connection", "close");
    app(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  server.once("error", async (error: NodeJS.ErrnoException) => {
    log.fatal(
      error.code === "EADDRINUSE"
        ? `port ${config.port} on ${config.host} is already in use: stop what runs there, or set PORT`
        : `cannot listen on ${config.host}:${config.port}: ${error.message}`,
    );
    metricsServer?.close();
    await outbox?.stop();
    await loginLimiter.close();
    await closeDbs();
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    // A worker's "listening" reaches the primary through the cluster module; it logs the address once.
    if (cluster.isWorker) return;
    log.info(
      `listening on ${config.publicUrl} — API docs ${config.publicUrl}/docs, Swagger UI ${config.publicUrl}/docs/swagger, admin ${config.publicUrl}/admin`,
    );
  });

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    // Webhook requests in flight get their whole timeout to finish and be recorded.
    const graceMs = Math.max(10, config.events.timeoutSeconds + 5) * 1000;
    const force = setTimeout(() => {
      log.error(`requests still running after ${graceMs / 1000} s: exiting`);
      process.exit(1);
    }, graceMs);
    force.unref();
    metricsServer?.close();
    const outboxStopped = outbox?.stop().catch((error: unknown) => log.error({ err: error }, "outbox stop failed"));
    server.close(async () => {
      await outboxStopped;
      await loginLimiter.close();
      await closeDbs();
      log.info("stopped");
      process.exit(0);
    });
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    sweep.unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
