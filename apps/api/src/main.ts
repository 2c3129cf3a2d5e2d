// Starts the API: configuration, then either one server process (server.ts) or, with
// WEB_CONCURRENCY > 1, a cluster primary (cluster.ts) that runs that many server processes on one port.
import cluster from "node:cluster";
import { ConfigError, loadConfig, loadDotEnv } from "./env.ts";
import { createLogger } from "./logger.ts";

async function main() {
  let loaded;
  try {
    loadDotEnv();
    loaded = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const { config, defaultsUsed } = loaded;
  const log = createLogger(config);
  if (cluster.isPrimary) {
    for (const name of defaultsUsed)
      log.warn(`${name} is not set: using the development default (refused in production)`);
  }
  // Imported on demand: the primary loads neither the database nor Express (about 100 MB less).
  if (cluster.isPrimary && config.webConcurrency > 1) {
    const { runPrimary } = await import("./cluster.ts");
    await runPrimary(config, log);
  } else {
    const { runServer } = await import("./server.ts");
    await runServer(config, cluster.isWorker ? log.child({ worker: cluster.worker?.id }) : log);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
