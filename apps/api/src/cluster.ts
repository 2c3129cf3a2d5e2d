// WEB_CONCURRENCY > 1: this process is the cluster primary. It serves no request itself; it forks that
// many server processes (server.ts, the same script and Node flags), which share one listening port
// (node:cluster hands each new connection to the next worker in turn).
//
// - A worker that dies is logged and replaced. One that dies before it ever listened (bad
//   configuration, database unreachable at start) is not: the primary stops the others and exits 1,
//   instead of forking in a loop.
// - SIGTERM / SIGINT: every worker gets SIGTERM and drains (stops accepting, finishes the requests in
//   flight, closes its database pool); the primary exits once all are gone, 0 if every one stopped
//   cleanly.
// - Each worker has its own database pool (DATABASE_POOL_SIZE per worker) and its own in-memory state;
//   what must be shared between workers lives in PostgreSQL or Redis (README, "Several processes").
import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import type { AppConfig } from "./env.ts";

export async function runPrimary(config: AppConfig, log: Logger): Promise<void> {
  let stopping = false;
  let failed = false;
  let announced = false;
  const listened = new WeakSet<Worker>();

  const fork = () => {
    const worker = cluster.fork();
    worker.on("listening", () => {
      listened.add(worker);
      log.info({ worker: worker.id, workerPid: worker.process.pid }, "worker listening");
      if (!announced) {
        announced = true;
        log.info(
          `listening on ${config.publicUrl} with ${config.webConcurrency} workers — API docs ${config.publicUrl}/docs, admin ${config.publicUrl}/admin`,
        );
      }
    });
    return worker;
  };

  cluster.on("exit", (worker, code, signal) => {
    const how = { worker: worker.id, workerPid: worker.process.pid, code, signal };
    if (stopping) {
      if (code !== 0) failed = true;
      log.info(how, "worker stopped");
    } else if (!listened.has(worker)) {
      log.error(how, "worker exited before it listened: stopping");
      failed = true;
      stop("worker failed at start");
    } else {
      log.error(how, "worker died: starting a replacement");
      fork();
    }
    if (stopping && Object.keys(cluster.workers ?? {}).length === 0) {
      log.info("stopped");
      process.exit(failed ? 1 : 0);
    }
  });

  // /metrics for the whole cluster: every worker's registry, summed (metrics/server.ts).
  let metricsServer: { close(): void } | undefined;
  if (config.metricsPort !== undefined) {
    const m = await import("./metrics/server.ts");
    metricsServer = m.startMetricsServer({
      port: config.metricsPort,
      host: config.host,
      log,
      source: await m.clusterMetricsSource(),
    });
  }

  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    metricsServer?.close();
    log.info({ reason }, "shutting down: draining every worker");
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) process.exit(failed ? 1 : 0);
    for (const worker of workers) worker.process.kill("SIGTERM");
    // The workers give up on their own after 10 s; this only covers one that hangs harder than that.
    const force = setTimeout(() => {
      log.error("workers still running after 15 s: killing them");
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGKILL");
      process.exit(1);
    }, 15_000);
    force.unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  log.info({ workers: config.webConcurrency }, "cluster primary starting workers");
  for (let i = 0; i < config.webConcurrency; i++) fork();
}
