// The compiled server (what `npm start` and the Dockerfile run: node --conditions=compiled on dist/) with
// 1 and with N cluster workers, on one seeded PostgreSQL database: requests per second, latency, server
// CPU per answered request (all the server's processes together) and the largest process's RSS.
// Asserts nothing; not part of `npm test`. Run by `npm run bench` after run.ts, or alone:
//
//   tsx apps/api/bench/workers.ts      (root script: npm run bench:workers; builds first)
//
// DATABASE_URL       PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres); a database
//                    shop_bench_<random> is created beside it and dropped at the end
// BENCH_WORKERS      worker counts to compare, comma-separated (default 1,<cores>)
// BENCH_CONCURRENCY  connections, comma-separated (default 50)
// BENCH_DURATION     seconds per measured run (default 10); BENCH_WARMUP seconds before each (default 2)
// BENCH_SCENARIOS    a subset of products,me,buy,webhook (default all four)
// BENCH_NODE_FLAGS   the server's node flags besides --conditions=compiled (default: npm start's, --max-old-space-size=192); the table is then not written to the docs
// BENCH_WRITE_DOCS   0 = do not rewrite the workers table in docs/performance.md
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { hashPassword } from "../src/auth/passwords.ts";
import { signAccessToken } from "../src/auth/tokens.ts";
import { NPM_START_NODE_FLAGS, REPO_ROOT, type ScenarioId } from "./config.ts";
import { connect, createBenchDatabase, migrate, PASSWORD, seed, settle, userId, USERS } from "./database.ts";
import { requestFactories, runHttp, type ScenarioContext } from "./http-load.ts";
import { freePort, startService, stopAllChildren, stopChild } from "./processes.ts";

const SCENARIOS = ["products", "me", "buy", "webhook"] as const satisfies readonly ScenarioId[];
const LABELS: Record<(typeof SCENARIOS)[number], string> = {
  products: "GET /products?limit=20",
  me: "GET /users/me",
  buy: "POST /products/buy, 999 accounts",
  webhook: "POST /payment/webhook",
};
const ENTRY = join(REPO_ROOT, "apps", "api", "dist", "main.js");
const CLOCK_TICKS = 100; // USER_HZ on Linux
const DEFAULT_NODE_FLAGS = NPM_START_NODE_FLAGS;
const START = "<!-- bench-workers:start -->";
const END = "<!-- bench-workers:end -->";

const list = (text: string | undefined, fallback: string) =>
  (text || fallback).split(",").map((part) => {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error(`not a whole number: "${part}"`);
    return n;
  });
const seconds = (text: string | undefined, fallback: number) => (text ? Number(text) : fallback);

const t0 = Date.now();
const log = (message: string) =>
  process.stderr.write(`[${String(Math.round((Date.now() - t0) / 1000)).padStart(4)} s] ${message}\n`);

/** The server's processes: the primary (or the only process) and its children (the workers). */
function tree(root: number): number[] {
  const pids = [root];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === root) pids.push(Number(pid));
    } catch {
      // gone
    }
  }
  return pids;
}

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function rssMb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

interface Row {
  workers: number;
  scenario: string;
  connections: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  cpuMsPerRequest: number;
  serverCpuCores: number;
  rssMaxMb: number;
  rssSumMb: number;
}

async function main() {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build first`);
  const cores = availableParallelism();
  const workerCounts = list(process.env.BENCH_WORKERS, `1,${Math.max(2, cores)}`);
  const concurrencies = list(process.env.BENCH_CONCURRENCY, "50");
  const durationSec = seconds(process.env.BENCH_DURATION, 10);
  const warmupSec = seconds(process.env.BENCH_WARMUP, 2);
  const scenarios = process.env.BENCH_SCENARIOS
    ? SCENARIOS.filter((s) => process.env.BENCH_SCENARIOS!.split(",").includes(s))
    : [...SCENARIOS];
  const serverUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? DEFAULT_NODE_FLAGS.join(" ")).split(/\s+/).filter(Boolean);

  const workDir = mkdtempSync(join(tmpdir(), "shop-bench-workers-"));
  const database = await createBenchDatabase(serverUrl);
  log(`created database ${database.name}`);
  const rows: Row[] = [];
  try {
    await migrate(database.url);
    await seed(database.url, await hashPassword(PASSWORD));
    log(`seeded ${USERS} users and their accounts`);
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
    let transactionId = 20_000_000_000;
    const context: ScenarioContext = {
      tokens,
      paymentPrivateKey: secrets.PAYMENT_PRIVATE_KEY,
      nextTransactionId: () => transactionId++,
    };
    const housekeeping = await connect(database.url);

    for (const workers of workerCounts) {
      const port = await freePort();
      const service = await startService({
        name: `API server, ${workers} worker(s)`,
        args: ["--conditions=compiled", ...nodeFlags, ENTRY],
        env: {
          ...process.env,
          ...secrets,
          NODE_ENV: "production",
          HOST: "127.0.0.1",
          PORT: String(port),
          DATABASE_URL: database.url,
          LOG_LEVEL: "warn",
          ADMIN_LOGIN: "bench-admin",
          JWT_TTL_SECONDS: "7200",
          WEB_CONCURRENCY: String(workers),
          REDIS_URL: "",
          METRICS_PORT: "",
        },
        cwd: REPO_ROOT,
        port,
        readyPath: "/ready",
        logFile: join(workDir, `api-${workers}.log`),
      });
      // /ready answers once one worker listens: wait for the others too.
      while (workers > 1 && tree(service.pid).length < workers + 1) await sleep(100);
      await sleep(workers > 1 ? 2000 : 0);
      log(`compiled server, ${workers} worker(s), pid ${service.pid} on port ${port}`);
      for (const scenario of scenarios) {
        await runHttp({
          url: service.url,
          connections: 10,
          durationSec: warmupSec,
          next: requestFactories[scenario](context),
        });
        for (const connections of concurrencies) {
          await settle(housekeeping);
          await sleep(300);
          const pids = tree(service.pid);
          const cpu0 = pids.reduce((sum, pid) => sum + cpuTicks(pid), 0);
          let rssMax = 0;
          let rssSum = 0;
          const timer = setInterval(() => {
            const now = pids.map(rssMb);
            rssMax = Math.max(rssMax, ...now);
            rssSum = Math.max(
              rssSum,
              now.reduce((a, b) => a + b, 0),
            );
          }, 200);
          const started = process.hrtime.bigint();
          const result = await runHttp({
            url: service.url,
            connections,
            durationSec,
            next: requestFactories[scenario](context),
          });
          clearInterval(timer);
          const wall = Number(process.hrtime.bigint() - started) / 1e9;
          const cpuSec = (pids.reduce((sum, pid) => sum + cpuTicks(pid), 0) - cpu0) / CLOCK_TICKS;
          const answered = result.total - result.non2xx;
          const row: Row = {
            workers,
            scenario: LABELS[scenario],
            connections,
            rps: result.rps,
            p50Ms: result.p50Ms,
            p99Ms: result.p99Ms,
            non2xx: result.non2xx,
            cpuMsPerRequest: answered > 0 ? (cpuSec * 1000) / answered : NaN,
            serverCpuCores: cpuSec / wall,
            rssMaxMb: rssMax,
            rssSumMb: rssSum,
          };
          rows.push(row);
          log(
            `${workers} worker(s), ${row.scenario} @${connections}: ${Math.round(row.rps)} req/s, p50 ${row.p50Ms} ms, ` +
              `p99 ${row.p99Ms} ms, non-2xx ${row.non2xx}, ${row.cpuMsPerRequest.toFixed(2)} CPU ms/req, ` +
              `server CPU ${(row.serverCpuCores * 100).toFixed(0)} %, RSS max ${row.rssMaxMb.toFixed(0)} MB ` +
              `(all processes ${row.rssSumMb.toFixed(0)} MB)`,
          );
        }
      }
      await stopChild(service.child);
    }
    await housekeeping.end();
  } finally {
    await stopAllChildren();
    await database.drop();
    log(`dropped database ${database.name}`);
    rmSync(workDir, { recursive: true, force: true });
  }

  const table = [
    `Compiled server (\`${["node", "--conditions=compiled", ...nodeFlags, "apps/api/dist/main.js"].join(" ")}\`), ${durationSec} s per run, ` +
      `${availableParallelism()} cores shared with PostgreSQL and the load generator; ${new Date().toISOString().slice(0, 10)}. ` +
      "`CPU ms / req` is the CPU of all the server's processes per 2xx answer; `RSS max` the largest process.",
    "",
    "| workers | what | conn. | req/s | p50 ms | p99 ms | non-2xx | CPU ms / req | server CPU | RSS max | RSS all |",
    "| ------: | ---- | ----: | ----: | -----: | -----: | ------: | -----------: | ---------: | ------: | ------: |",
    ...rows.map(
      (r) =>
        `| ${r.workers} | ${r.scenario} | ${r.connections} | ${Math.round(r.rps).toLocaleString("en-US")} | ${r.p50Ms} | ${r.p99Ms} | ` +
        `${r.non2xx} | ${r.cpuMsPerRequest.toFixed(2)} | ${(r.serverCpuCores * 100).toFixed(0)} % | ` +
        `${r.rssMaxMb.toFixed(0)} MB | ${r.rssSumMb.toFixed(0)} MB |`,
    ),
  ].join("\n");
  process.stdout.write(`${table}\n`);
  const docs = join(REPO_ROOT, "docs", "performance.md");
  const text = readFileSync(docs, "utf8");
  const asShipped = process.env.BENCH_NODE_FLAGS === undefined && !process.env.BENCH_SCENARIOS;
  if (asShipped && process.env.BENCH_WRITE_DOCS !== "0" && text.includes(START) && text.includes(END)) {
    writeFileSync(
      docs,
      `${text.slice(0, text.indexOf(START) + START.length)}\n\n${table}\n\n${text.slice(text.indexOf(END))}`,
    );
    log("docs/performance.md: workers table rewritten");
  }
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    console.error(error);
    await stopAllChildren();
    process.exit(1);
  },
);
