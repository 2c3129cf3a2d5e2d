// The `/metrics` listener on METRICS_PORT: never on the API's port, so a load balancer that exposes the
// API does not expose it. In a cluster the primary serves it with every worker's metrics summed
// (prom-client's AggregatorRegistry asks each worker over the cluster channel).
import { createServer, type Server } from "node:http";
import type { Logger } from "pino";

export interface MetricsSource {
  contentType: string;
  metrics(): Promise<string>;
}

export async function clusterMetricsSource(): Promise<MetricsSource> {
  const { AggregatorRegistry } = await import("prom-client");
  const aggregator = new AggregatorRegistry();
  return { contentType: aggregator.contentType, metrics: () => aggregator.clusterMetrics() };
}

export async function processMetricsSource(): Promise<MetricsSource> {
  const { registry } = await import("./metrics.ts");
  return { contentType: registry.contentType, metrics: () => registry.metrics() };
}

export function startMetricsServer(options: {
  port: number;
  host: string;
  log: Logger;
  source: MetricsSource;
}): Server {
  const { log, source } = options;
  const server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?", 1)[0] !== "/metrics") {
      res
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ message: "Only GET /metrics is served here", code: "NOT_FOUND" }));
      return;
    }
    source.metrics().then(
      (text) => res.writeHead(200, { "content-type": source.contentType }).end(text),
      (error: unknown) => {
        log.error({ err: error }, "metrics collection failed");
        res
          .writeHead(500, { "content-type": "application/json" })
          .end(JSON.stringify({ message: "Metrics collection failed", code: "INTERNAL_SERVER_ERROR" }));
      },
    );
  });
  server.on("error", (error) => log.error({ err: error, port: options.port }, "metrics listener failed"));
  server.listen(options.port, options.host, () =>
    log.info(`metrics on http://${options.host}:${options.port}/metrics`),
  );
  return server;
}
