// The benchmark's own settings, read from the environment once. Nothing here is read by the server:
// the server gets its configuration from the environment the benchmark builds for it (server.ts).
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(BENCH_DIR, "..", "..", "..");

/** The compiled server, as `npm start` and the Dockerfile run it (with `--conditions=compiled`). */
export const DEFAULT_SERVER_ENTRY = "apps/api/dist/main.js";

/** The node flags `npm start` and the Dockerfile give the server besides the loader (package.json, apps/api/Dockerfile). */
export const NPM_START_NODE_FLAGS: readonly string[] = ["--max-old-space-size=192"];

/** Every measured scenario, in the order they run. */
export const SCENARIOS = [
  "bare", // a bare Express 5 handler: the framework's own floor
  "products", // GET /products?limit=20
  "me", // GET /users/me
  "buy", // POST /products/buy over many accounts, with its pgbench baseline
  "buy-hot", // POST /products/buy on one account
  "webhook", // POST /payment/webhook, with its pgbench baseline
  "login", // POST /auth (bcrypt)
] as const;
export type ScenarioId = (typeof SCENARIOS)[number];

export interface BenchConfig {
  /** The PostgreSQL server: the benchmark creates (and drops) its own database beside this one. */
  serverUrl: string;
  durationSec: number;
  warmupSec: number;
  concurrencies: number[];
  scenarios: ScenarioId[];
  /** DATABASE_POOL_SIZE given to the server; undefined = the server's default (20). */
  poolSize: string | undefined;
  /** Extra node flags for the API server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof". */
  serverNodeArgs: string[];
  /**
   * The server's entry point (default apps/api/dist/main.js, the compiled server `npm start` runs): point
   * it at a candidate change to compare. A `.ts` entry runs through tsx, anything else with plain node.
   */
  serverEntry: string;
  /** The entry is this checkout's compiled server: build it (turbo, a cache hit when nothing changed) first. */
  buildFirst: boolean;
  /** Rewrite the table in docs/performance.md (only when every scenario ran). */
  writeDocs: boolean;
  pgbench: string;
}

function positiveNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === "") return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number of seconds, got "${text}"`);
  return n;
}

function findPgbench(): string {
  if (process.env.BENCH_PGBENCH) return process.env.BENCH_PGBENCH;
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (dir && existsSync(join(dir, "pgbench"))) return join(dir, "pgbench");
  }
  for (const version of ["17", "16", "15", "14", "13"]) {
    const path = `/usr/lib/postgresql/${version}/bin/pgbench`;
    if (existsSync(path)) return path;
  }
  throw new Error("pgbench not found: install postgresql-contrib / postgresql-client or set BENCH_PGBENCH");
}

export function loadBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const concurrencies = (env.BENCH_CONCURRENCY || "10,50,100").split(",").map((part) => {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < 1 || n > 1000) {
      throw new Error(`BENCH_CONCURRENCY must be a comma-separated list of integers 1..1000, got "${part}"`);
    }
    return n;
  });
  let scenarios: ScenarioId[] = [...SCENARIOS];
  if (env.BENCH_SCENARIOS) {
    const wanted = env.BENCH_SCENARIOS.split(",").map((s) => s.trim());
    for (const name of wanted) {
      if (!(SCENARIOS as readonly string[]).includes(name)) {
        throw new Error(`BENCH_SCENARIOS: unknown scenario "${name}" (known: ${SCENARIOS.join(", ")})`);
      }
    }
    scenarios = SCENARIOS.filter((s) => wanted.includes(s));
  }
  return {
    serverUrl: env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres",
    durationSec: positiveNumber("BENCH_DURATION", env.BENCH_DURATION, 10),
    warmupSec: positiveNumber("BENCH_WARMUP", env.BENCH_WARMUP, 2),
    concurrencies,
    scenarios,
    poolSize: env.BENCH_POOL_SIZE || env.DATABASE_POOL_SIZE || undefined,
    serverNodeArgs: (env.BENCH_NODE_ARGS ?? "").split(/\s+/).filter(Boolean),
    serverEntry: resolve(REPO_ROOT, env.BENCH_SERVER_ENTRY || DEFAULT_SERVER_ENTRY),
    buildFirst: !env.BENCH_SERVER_ENTRY,
    writeDocs: env.BENCH_WRITE_DOCS !== "0" && scenarios.length === SCENARIOS.length && !env.BENCH_SERVER_ENTRY,
    pgbench: findPgbench(),
  };
}
