// API server child processes for the multi-process suites: `node --import tsx apps/api/src/main.ts`
// from the repository root on a free port, in production mode with non-default secrets. Always killed:
// afterAll in each suite, the process 'exit' hook of ../support/processes.ts, and a watchdog loaded into
// each child (parent-watchdog.mjs) that kills it within a second once this test process is gone (even
// after a SIGKILL).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath, pathToFileURL } from "node:url";
import { testDbOptions } from "@shop/db/testing";
import { exitOf, freePort, running, stopChild, track, waitForHttp } from "../support/processes.ts";
import { REPO_ROOT } from "./figures.ts";

/** The configuration every child server gets: production mode, so real secrets are required. */
export const SERVER_SECRETS = {
  JWT_SECRET: `reliability-jwt-${randomBytes(16).toString("hex")}`,
  PAYMENT_PRIVATE_KEY: `reliability-payment-${randomBytes(8).toString("hex")}`,
  ADMIN_LOGIN: "reliability-admin",
  ADMIN_PASSWORD: `admin-${randomBytes(9).toString("base64url")}`,
} as const;

export interface ApiServer {
  name: string;
  port: number;
  base: string;
  child: ChildProcess;
  /** The last ~256 kB the process wrote (stdout and stderr). */
  output(): string;
  /** pino lines at level error (50) or fatal (60), and anything else on stderr. */
  errorLines(): string[];
  /** Resolves with how the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** SIGKILL, and wait until the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful), SIGKILL after `graceMs` (default 15 s); waits until the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  name: string;
  databaseUrl: string;
  port?: number;
  env?: Record<string, string>;
  /** Wait for GET /health (default true). */
  waitReady?: boolean;
  readyTimeoutMs?: number;
}

export function spawnApiServer(options: StartOptions & { port: number }): ApiServer {
  const port = options.port;
  const watchdog = pathToFileURL(fileURLToPath(new URL("./parent-watchdog.mjs", import.meta.url))).href;
  const child = track(
    spawn(process.execPath, ["--import", "tsx", "--import", watchdog, "apps/api/src/main.ts"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        ...SERVER_SECRETS,
        NODE_ENV: "production",
        LOG_LEVEL: "warn",
        HOST: "127.0.0.1",
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        DATABASE_URL: options.databaseUrl,
        DATABASE_DIRECT_URL: testDbOptions(options.databaseUrl).directUrl ?? "",
        DATABASE_POOL_SIZE: "8",
        // One process per server unless a suite asks for a cluster (production's default is one per core).
        WEB_CONCURRENCY: "1",
        // Every request comes from 127.0.0.1: the per-address budgets must not turn the loads into 429s.
        REGISTRATION_LIMIT_PER_ADDRESS: "1000000",
        WEBHOOK_BAD_SIGNATURE_LIMIT_PER_ADDRESS: "1000000",
        RELIABILITY_PARENT_PID: String(process.pid),
        ...options.env,
      },
    }),
  );
  let buffer = "";
  const errors: string[] = [];
  const keep = (chunk: Buffer, stream: "stdout" | "stderr") => {
    const text = chunk.toString("utf8");
    buffer = (buffer + text).slice(-256 * 1024);
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      if (stream === "stderr" || /"level":(50|60)\b/.test(line)) errors.push(line.slice(0, 2000));
    }
  };
  child.stdout!.on("data", (c: Buffer) => keep(c, "stdout"));
  child.stderr!.on("data", (c: Buffer) => keep(c, "stderr"));
  const exited = exitOf(child);
  return {
    name: options.name,
    port,
    base: `http://127.0.0.1:${port}`,
    child,
    output: () => buffer,
    errorLines: () => [...errors],
    exited,
    alive: () => running(child),
    async kill9() {
      if (running(child)) child.kill("SIGKILL");
      await exited;
    },
    stop: (graceMs = 15_000) => stopChild(child, graceMs),
  };
}

/** Resolves once GET /health answers 200; rejects (with the output) if the process exits first. */
export function waitReady(server: ApiServer, timeoutMs = 60_000): Promise<void> {
  return waitForHttp(`${server.base}/health`, server.child, { name: server.name, timeoutMs, output: server.output });
}

export async function startApiServer(options: StartOptions): Promise<ApiServer> {
  const server = spawnApiServer({ ...options, port: options.port ?? (await freePort()) });
  if (options.waitReady !== false) await waitReady(server, options.readyTimeoutMs);
  return server;
}
