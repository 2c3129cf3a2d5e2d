// Load benchmark of the API against a real PostgreSQL, with pgbench and a bare Express handler as
// baselines measured in the same run. Asserts no timings; not part of `npm test`. The server measured is
// the compiled one, run as `npm start` runs it: `node --conditions=compiled apps/api/dist/main.js`.
//
//   tsx apps/api/bench/run.ts          (root script: npm run bench)
//
// DATABASE_URL       PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres); the benchmark
//                    creates shop_bench_<random> beside the database named there and drops it at the end
// BENCH_DURATION     seconds per measured run (default 10)
// BENCH_CONCURRENCY  connections, comma-separated (default 10,50,100)
// BENCH_WARMUP       seconds of warm-up before each scenario's first run (default 2)
// BENCH_SCENARIOS    a subset of: bare,products,me,buy,buy-hot,webhook,login (docs are then left alone)
// BENCH_POOL_SIZE    DATABASE_POOL_SIZE for the server (default: the server's own default, 20)
// BENCH_NODE_ARGS    extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
// BENCH_SERVER_ENTRY the server's entry (default apps/api/dist/main.js, the compiled server as `npm start`
//                    runs it, built first through turbo), e.g. another checkout's dist/main.js to compare;
//                    a `.ts` entry runs through tsx (node --import tsx), anything else with plain node
// BENCH_WRITE_DOCS   0 = do not rewrite the table in docs/performance.md
// BENCH_PGBENCH      path of pgbench (default: PATH, then /usr/lib/postgresql/<v>/bin)
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { hashPassword } from "../src/auth/passwords.ts";
import { signAccessToken } from "../src/auth/tokens.ts";
import {
  BENCH_DIR,
  type BenchConfig,
  loadBenchConfig,
  NPM_START_NODE_FLAGS,
  REPO_ROOT,
  type ScenarioId,
} from "./config.ts";
import {
  checkLedger,
  connect,
  createBenchDatabase,
  freeConnections,
  migrate,
  PASSWORD,
  seed,
  settle,
  userId,
  USERS,
} from "./database.ts";
import { type HttpResult, requestFactories, runHttp, type ScenarioContext } from "./http-load.ts";
import { creditScript, purchaseScript, runPgbench } from "./pgbench.ts";
import {
  freePort,
  type Service,
  startSampler,
  startService,
  statementCount,
  stopAllChildren,
  stopChild,
} from "./processes.ts";
import { describeMachine, markdown, type Row, writeDocs } from "./report.ts";

const LABELS: Record<ScenarioId, string> = {
  bare: "bare Express 5 handler",
  products: "GET /products?limit=20",
  me: "GET /users/me",
  buy: "POST /products/buy, 999 accounts",
  "buy-hot": "POST /products/buy, one hot account",
  webhook: "POST /payment/webhook",
  login: "POST /auth (bcrypt, cost 10)",
};
const SERVER_NODE_FLAGS = NPM_START_NODE_FLAGS;
/** How the server is loaded: compiled JavaScript with plain node (as `npm start`), TypeScript through tsx. */
function loaderFlags(entry: string): string[] {
  return entry.endsWith(".ts") ? ["--import", "tsx"] : ["--conditions=compiled"];
}
/** The build `npm start` runs before starting the server (package.json), bounded in time. */
function buildServer(): void {
  const turbo = join(REPO_ROOT, "node_modules", ".bin", "turbo");
  const result = spawnSync(turbo, ["run", "build", "--filter=@shop/api", "--output-logs=errors-only"], {
    cwd: REPO_ROOT,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "inherit", "inherit"],
    timeout: BUILD_TIMEOUT_SECONDS * 1000,
    killSignal: "SIGKILL",
  });
  if (result.status !== 0) {
    throw new Error(
      `the build of the API failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})`,
    );
  }
}
const BUILD_TIMEOUT_SECONDS = 180;
/** Connections pgbench leaves to everyone else on the server (other people's tests share it). */
const CONNECTION_MARGIN = 20;

const t0 = Date.now();
const log = (message: string) =>
  process.stderr.write(`[${String(Math.round((Date.now() - t0) / 1000)).padStart(4)} s] ${message}\n`);

function estimateSeconds(config: BenchConfig): number {
  const perRun = config.durationSec + 1.5;
  let runs = 0;
  for (const s of config.scenarios) runs += (s === "buy" || s === "webhook" ? 2 : 1) * config.concurrencies.length;
  const warmups = config.scenarios.filter((s) => s !== "bare").length * (config.warmupSec + 0.5);
  return Math.round(25 + runs * perRun + warmups + (config.buildFirst ? 30 : 0));
}

async function main(): Promise<number> {
  const config = loadBenchConfig();
  // The baselines' statements come from the services' source: fail now, not after the setup.
  const scripts = { purchase: purchaseScript(), credit: creditScript() };
  const estimate = estimateSeconds(config);
  log(
    `scenarios ${config.scenarios.join(", ")}; ${config.durationSec} s per run at ${config.concurrencies.join(", ")} ` +
      `connections; about ${estimate} s in all`,
  );
  // Bounded time whatever happens: a stuck step ends the benchmark (children killed, database dropped).
  const limitSeconds = Math.round(estimate * 1.5 + 120);
  const guard = setTimeout(
    () => abort(new Error(`benchmark still running after ${limitSeconds} s: stopped`)),
    limitSeconds * 1000,
  );
  guard.unref();

  if (config.buildFirst && config.scenarios.some((s) => s !== "bare")) {
    const built = Date.now();
    buildServer();
    log(`built the API (turbo run build --filter=@shop/api) in ${((Date.now() - built) / 1000).toFixed(1)} s`);
  }
  if (config.scenarios.some((s) => s !== "bare") && !existsSync(config.serverEntry)) {
    throw new Error(`${config.serverEntry} is missing`);
  }

  const workDir = mkdtempSync(join(tmpdir(), "shop-bench-"));
  const database = await createBenchDatabase(config.serverUrl);
  cleanups.push(async () => {
    await database.drop();
    log(`dropped database ${database.name}`);
  });
  cleanups.push(async () => {
    if (succeeded) rmSync(workDir, { recursive: true, force: true });
    else log(`server logs kept in ${workDir}`);
  });
  log(`created database ${database.name}`);

  const applied = await migrate(database.url);
  log(`migrated (${applied.length} migration${applied.length === 1 ? "" : "s"})`);
  const passwordHash = await hashPassword(PASSWORD);
  const seedStart = Date.now();
  await seed(database.url, passwordHash);
  log(`seeded ${USERS} users with funded accounts and 1000 products in ${Date.now() - seedStart} ms`);

  const secrets = {
    JWT_SECRET: randomBytes(32).toString("hex"),
    PAYMENT_PRIVATE_KEY: randomBytes(16).toString("hex"),
    ADMIN_PASSWORD: randomBytes(12).toString("hex"),
  };
  const tokens = [
    "",
    ...Array.from({ length: USERS }, (_, k) =>
      signAccessToken({ userId: userId(k + 1), tokenVersion: 0 }, secrets.JWT_SECRET, 7200),
    ),
  ];
  let transactionId = 10_000_000_000; // API credits: above the seed's 1..USERS, below pgbench's bases
  const context: ScenarioContext = {
    tokens,
    paymentPrivateKey: secrets.PAYMENT_PRIVATE_KEY,
    nextTransactionId: () => transactionId++,
  };

  const housekeeping = await connect(database.url);
  cleanups.unshift(async () => housekeeping.end());
  const machine = await describeMachine(housekeeping);

  const serverEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...secrets,
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    DATABASE_URL: database.url,
    LOG_LEVEL: "warn",
    ADMIN_LOGIN: "bench-admin",
    JWT_TTL_SECONDS: "7200",
    // One server process (production on PostgreSQL defaults to one per core): its CPU and RSS are the
    // figures; 1 vs N workers is bench/workers.ts's table.
    WEB_CONCURRENCY: "1",
    METRICS_PORT: "",
    // Every sign-in comes from 127.0.0.1: the brute-force limiter must not turn the login run into a
    // 429 run (it still does its per-attempt bookkeeping, in memory).
    LOGIN_LIMIT_PER_LOGIN: "1000000",
    LOGIN_LIMIT_PER_ADDRESS: "1000000",
  };
  serverEnv.REDIS_URL = ""; // the login limiter in memory: no Redis in the measurement
  if (config.poolSize) serverEnv.DATABASE_POOL_SIZE = config.poolSize;
  else delete serverEnv.DATABASE_POOL_SIZE;
  if (existsSync(join(REPO_ROOT, ".env"))) {
    log("note: the server also reads .env at the repository root for what the benchmark does not set");
  }

  let api: Service | undefined;
  if (config.scenarios.some((s) => s !== "bare")) {
    const port = await freePort();
    api = await startService({
      name: "API server",
      args: [
        ...SERVER_NODE_FLAGS,
        ...loaderFlags(config.serverEntry),
        ...config.serverNodeArgs,
        "--import",
        pathToFileURL(join(BENCH_DIR, "count-statements.mjs")).href,
        config.serverEntry,
      ],
      env: { ...serverEnv, PORT: String(port) },
      cwd: REPO_ROOT,
      port,
      readyPath: "/ready",
      logFile: join(workDir, "api.log"),
      ipc: true,
    });
    log(`API server pid ${api.pid} on port ${port}, ${config.serverEntry} (log: ${api.logFile})`);
  }

  const rows: Row[] = [];
  let pgbenchRun = 0;

  /** Housekeeping, then how busy the machine is while the benchmark itself idles (other work). */
  const prepare = async (): Promise<number> => {
    await settle(housekeeping);
    await sleep(200);
    const idle = startSampler(undefined);
    await sleep(500);
    return idle.stop().machineBusy;
  };

  const measureHttp = async (scenario: ScenarioId, service: Service, c: number, counted: boolean) => {
    const background = await prepare();
    const before = counted ? await statementCount(service.child) : undefined;
    const sampler = startSampler(service.pid);
    const result: HttpResult = await runHttp({
      url: service.url,
      connections: c,
      durationSec: config.durationSec,
      next: requestFactories[scenario](context),
    });
    const sample = sampler.stop();
    const after = counted ? await statementCount(service.child) : undefined;
    const notes: string[] = [];
    const unexpected = Object.entries(result.statusCodes).filter(([code]) => !code.startsWith("2"));
    if (unexpected.length) notes.push(`status ${unexpected.map(([code, n]) => `${code}×${n}`).join(", ")}`);
    if (result.timeouts) notes.push(`${result.timeouts} timeouts`);
    const row: Row = {
      label: LABELS[scenario],
      key: scenario,
      concurrency: c,
      rps: result.rps,
      p50Ms: result.p50Ms,
      p99Ms: result.p99Ms,
      non2xx: result.non2xx,
      errors: result.errors,
      rssMaxMb: sample.rssMaxMb,
      cpuCores: sample.cpuCores,
      machineBusy: sample.machineBusy,
      backgroundBusy: background,
      statementsPerRequest:
        before !== undefined && after !== undefined && result.total > 0 ? (after - before) / result.total : undefined,
      notes,
    };
    rows.push(row);
    log(
      `${LABELS[scenario]} @${c}: ${Math.round(row.rps)} req/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ` +
        `non-2xx ${row.non2xx}, errors ${row.errors}, RSS ${row.rssMaxMb?.toFixed(0)} MB, ` +
        `server CPU ${((row.cpuCores ?? 0) * 100).toFixed(0)} % (${row.rps > 0 ? (((row.cpuCores ?? 0) * 1000) / row.rps).toFixed(2) : "–"} ms/req), machine ${(row.machineBusy * 100).toFixed(0)} % ` +
        `(${(background * 100).toFixed(0)} % before)` +
        (row.statementsPerRequest === undefined ? "" : `, ${row.statementsPerRequest.toFixed(2)} SQL/req`),
    );
    if (result.non2xx > 0 && scenario !== "bare") log(`  server log tail:\n${service.logTail(5)}`);
  };

  const measurePgbench = async (key: "pgbench-purchase" | "pgbench-credit", c: number) => {
    const background = await prepare();
    const free = (await freeConnections(housekeeping)) - CONNECTION_MARGIN;
    const clients = Math.max(1, Math.min(c, free));
    const base = 100_000_000_000_000 + pgbenchRun++ * 1_000_000_000_000;
    const script = key === "pgbench-purchase" ? scripts.purchase : scripts.credit;
    const sampler = startSampler(undefined);
    const result = await runPgbench({
      pgbench: config.pgbench,
      url: database.url,
      script,
      clients,
      durationSec: config.durationSec,
      defines: key === "pgbench-credit" ? { n: "0", base: String(base), amount: "10.50", hash: "0".repeat(64) } : {},
    });
    const sample = sampler.stop();
    const notes: string[] = [];
    if (clients < c) notes.push(`${clients} clients: max_connections`);
    if (result.exitCode !== 0) notes.push(`pgbench exit ${result.exitCode}`);
    const row: Row = {
      label:
        key === "pgbench-purchase"
          ? "pgbench: a purchase's SQL (sign-in check + debit)"
          : "pgbench: a credit's SQL (one statement)",
      key,
      concurrency: c,
      clients,
      rps: result.tps,
      p50Ms: result.p50Ms,
      p99Ms: result.p99Ms,
      non2xx: undefined,
      errors: result.failed,
      rssMaxMb: undefined,
      cpuCores: undefined,
      machineBusy: sample.machineBusy,
      backgroundBusy: background,
      statementsPerRequest: (script.match(/;\n/g) ?? []).length,
      notes,
    };
    rows.push(row);
    log(
      `${row.label} @${c}${clients < c ? ` (${clients} clients)` : ""}: ${Math.round(result.tps)} tps, ` +
        `p50 ${result.p50Ms?.toFixed(1)} ms, p99 ${result.p99Ms?.toFixed(1)} ms, failed ${result.failed}, ` +
        `machine ${(sample.machineBusy * 100).toFixed(0)} % (${(background * 100).toFixed(0)} % before)`,
    );
    if (result.exitCode !== 0) log(`  pgbench output:\n${result.output.slice(-1500)}`);
  };

  /** One request by hand first: a scenario that cannot succeed stops the benchmark with the reason. */
  const smoke = async (scenario: ScenarioId, service: Service) => {
    const shape = requestFactories[scenario](context)();
    const response = await fetch(service.url + shape.path, {
      method: shape.method,
      headers: { ...shape.headers, ...(shape.body ? { "content-type": "application/json" } : {}) },
      body: shape.body,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${LABELS[scenario]}: ${response.status} ${text.slice(0, 500)}`);
  };

  const warmUp = async (scenario: ScenarioId, service: Service) => {
    await smoke(scenario, service);
    await runHttp({
      url: service.url,
      connections: Math.min(10, ...config.concurrencies),
      durationSec: config.warmupSec,
      next: requestFactories[scenario](context),
    });
  };

  for (const scenario of config.scenarios) {
    if (scenario === "bare") {
      const port = await freePort();
      const bare = await startService({
        name: "bare Express server",
        args: [...SERVER_NODE_FLAGS, join(BENCH_DIR, "bare-express.mjs")],
        env: { ...serverEnv, PORT: String(port) },
        cwd: REPO_ROOT,
        port,
        readyPath: "/",
        logFile: join(workDir, "bare.log"),
      });
      try {
        await warmUp(scenario, bare);
        for (const c of config.concurrencies) await measureHttp(scenario, bare, c, false);
      } finally {
        await stopChild(bare.child);
      }
      continue;
    }
    const server = api!;
    await warmUp(scenario, server);
    for (const c of config.concurrencies) {
      if (scenario === "buy") await measurePgbench("pgbench-purchase", c);
      if (scenario === "webhook") await measurePgbench("pgbench-credit", c);
      await measureHttp(scenario, server, c, true);
    }
  }

  const ledger = await checkLedger(housekeeping);
  log(
    ledger.mismatched === 0
      ? `ledger consistent: every one of ${ledger.accounts} balances equals its credits minus its purchases`
      : `LEDGER INCONSISTENT: ${ledger.mismatched} of ${ledger.accounts} accounts`,
  );

  const block = markdown(rows, machine, {
    durationSec: config.durationSec,
    concurrencies: config.concurrencies,
    poolSize: config.poolSize ?? "20 (the server's default)",
  });
  process.stdout.write(`\n${block}\n`);
  if (config.writeDocs) {
    await writeDocs(join(REPO_ROOT, "docs", "performance.md"), block);
    log("wrote the results into docs/performance.md");
  } else {
    log("docs/performance.md left alone (partial run or BENCH_WRITE_DOCS=0)");
  }
  return ledger.mismatched === 0 ? 0 : 1;
}

// ---- cleanup: children first, then the database -------------------------------------------------

const cleanups: (() => Promise<void>)[] = [];
let succeeded = false;
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await stopAllChildren();
    for (const step of cleanups) {
      try {
        await step();
      } catch (error) {
        log(`cleanup: ${(error as Error).message}`);
      }
    }
  })();
  return cleaning;
}

function abort(error: Error): void {
  log(error.message);
  void cleanup().finally(() => process.exit(1));
}

process.on("SIGINT", () => abort(new Error("interrupted")));
process.on("SIGTERM", () => abort(new Error("terminated")));

main()
  .then(async (code) => {
    succeeded = true;
    await cleanup();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await cleanup();
    process.exit(1);
  });
