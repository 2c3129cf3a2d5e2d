// npm run bench:scale — the operator's console at a year of data (issue 19).
//
// Builds (once; kept between runs) a database of a year of a mid-size shop with bulk SQL (scale-data.ts:
// at scale 1, 10,000,000 ledger rows), starts the compiled server on it as `npm start` does (one worker),
// and prints the median and p95 of every customer and operator call: each filter and sort of
// /transactions, /users, /webhooks and /audit, first and last page, the reports, the CSV export's rows/s,
// and purchases alone against purchases while three report loops run. Asserts nothing: the figures go to
// docs/performance.md by hand (with the date and the machine).
//
//   npm run bench:scale                       scale 1 (the issue's figures), database shop_scale_1
//   npm run bench:scale -- --scale=0.1        a tenth (shop_scale_0_1)
//   npm run bench:scale -- --rebuild          drop and build the database again
//   npm run bench:scale -- --build-only       build (or reuse) and stop
//   npm run bench:scale -- --dashboard        also load the admin dashboard in Chromium (dashboard.ts), right
//                                             after the roll-ups caught up: a fresh page per load, signed in as
//                                             the bench's admin, timed from navigation start until the key
//                                             figures (/stats) and the books (/reconciliation) are painted
//                                             (each, and both; with each load's /trpc requests); median of
//                                             5; then docs/screenshots/dashboard-scale.png (full page)
//   npm run bench:scale -- --only=dashboard   the dashboard alone: none of the calls, the CSV or the load phases
//   npm run bench:scale -- --only=reports,load  those parts alone (dashboard, customer, listings, reports, csv,
//                                             load)
//   options: --runs=N (default 7), --load-seconds=N (default 6), --load-rounds=N (default 10: purchases alone,
//   then with the report loops, N times over, after a warm-up round; the median ratio of the pairs and the
//   ratio of their sums), --read-url=<replica URL> (DATABASE_READ_URL)
//   DATABASE_URL: the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres)
import { spawn, spawnSync } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { availableParallelism } from "node:os";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_OFFSET } from "@shop/contracts";
import { createDb } from "@shop/db";
import { withDatabase } from "@shop/db/testing";
import { hashPassword } from "../src/auth/passwords.ts";
import { signAccessToken } from "../src/auth/tokens.ts";
import { rollupsRepository } from "../src/repositories/rollups.repository.ts";
import { signWebhook } from "../src/services/payments.service.ts";
import { bearer } from "../test/support/http.ts";
import { REPO_ROOT, DEFAULT_SERVER_ENTRY, NPM_START_NODE_FLAGS } from "./config.ts";
import { ensureAdminBuilt, measureDashboard } from "./dashboard.ts";
import { accountId, migrate, productId, userId } from "./database.ts";
import { type RequestShape, runHttp } from "./http-load.ts";
import type { QueryResultRow } from "pg";
import { pg } from "./pg.ts";
import { freePort, startService, stopAllChildren, startSampler } from "./processes.ts";
import { adminNumber, buildScaleData, countsAt, type ScaleCounts } from "./scale-data.ts";
import { percentile } from "./stats.ts";

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k!, v ?? "true"] as const;
  }),
);
const SCALE = Number(args.get("scale") ?? 1);
const RUNS = Number(args.get("runs") ?? 7);
// Short rounds, many of them: purchases alone move by ±20 % over minutes on this machine (checkpoints: after
// each, the first write to every page logs the whole page), so each ratio compares neighbouring slices.
const LOAD_SECONDS = Number(args.get("load-seconds") ?? 6);
const LOAD_ROUNDS = Number(args.get("load-rounds") ?? 10);
const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const readUrl = args.get("read-url");
/** The parts of the run, in order; --only=<part>[,<part>…] runs those alone. */
const PARTS = ["dashboard", "customer", "listings", "reports", "csv", "costs", "load"] as const;
const ONLY = args.get("only")?.split(",");
for (const p of ONLY ?? []) {
  if (!(PARTS as readonly string[]).includes(p)) throw new Error(`--only: one or more of ${PARTS.join(", ")}`);
}
/** Whether a part runs: every part (the dashboard only with --dashboard) unless --only names some. */
const runs = (part: (typeof PARTS)[number]) =>
  ONLY ? ONLY.includes(part) : part !== "dashboard" || args.has("dashboard");
const DASHBOARD = runs("dashboard");
const log = (m: string) => process.stderr.write(`${m}\n`);
const dbName = `shop_scale_${String(SCALE).replace(/\./g, "_")}`;
const PASSWORD = "scale-password-1";

async function query<T extends QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

/** The database of this scale: reused when a finished build is there, built otherwise. */
async function ensureDatabase(counts: ScaleCounts): Promise<string> {
  const url = withDatabase(serverUrl, dbName);
  const exists = (await query(serverUrl, `SELECT 1 FROM pg_database WHERE datname = $1`, [dbName])).length > 0;
  if (exists && args.has("rebuild")) {
    await query(serverUrl, `DROP DATABASE "${dbName}" WITH (FORCE)`);
  } else if (exists) {
    const built = await query<{ seconds: number; built_at: string }>(
      url,
      `SELECT seconds, built_at::text FROM bench_scale_build LIMIT 1`,
    ).catch(() => []);
    if (built[0]) {
      log(
        `reusing ${dbName} (built ${built[0].built_at} in ${built[0].seconds.toFixed(0)} s; --rebuild to build again)`,
      );
      return url;
    }
    log(`${dbName} exists but its build did not finish: building again`);
    await query(serverUrl, `DROP DATABASE "${dbName}" WITH (FORCE)`);
  }
  await query(serverUrl, `CREATE DATABASE "${dbName}"`);
  log(`building ${dbName}: ${JSON.stringify(counts)}`);
  await migrate(url);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const report = await buildScaleData(c, counts, await hashPassword(PASSWORD), log);
    const size = (
      await c.query<{ size: string }>(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`)
    ).rows[0]!.size;
    log(`built in ${report.seconds.toFixed(0)} s (load ${report.loadSeconds.toFixed(0)} s), database ${size}`);
    await c.query(`CREATE TABLE bench_scale_build (built_at timestamptz, seconds float8, report jsonb)`);
    await c.query(`INSERT INTO bench_scale_build VALUES (now(), $1, $2)`, [report.seconds, JSON.stringify(report)]);
  } finally {
    await c.end();
  }
  return url;
}

function buildServer() {
  const turbo = join(REPO_ROOT, "node_modules", ".bin", "turbo");
  const r = spawnSync(turbo, ["run", "build", "--filter=@shop/api", "--output-logs=errors-only"], {
    cwd: REPO_ROOT,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (r.status !== 0) throw new Error("the build of the API failed");
}

interface Figure {
  call: string;
  median: number;
  p95: number;
  note?: string;
}

async function main() {
  const counts = countsAt(SCALE);
  const url = await ensureDatabase(counts);
  if (args.has("build-only")) return;
  // The database's files into the OS cache ('read': not PostgreSQL's shared buffers), as a server that has
  // run for a while has them: after a reboot every customer call read its pages from disk (/users/me
  // 13–16 ms instead of 7). Needs the pg_prewarm extension (contrib, superuser); without it, a note.
  {
    const t = Date.now();
    try {
      await query(url, `CREATE EXTENSION IF NOT EXISTS pg_prewarm`);
      const [r] = await query<{ pages: string }>(
        url,
        `SELECT sum(pg_prewarm(c.oid, 'read'))::text AS pages FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 't')`,
      );
      log(`database files read into the OS cache: ${r?.pages} pages in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    } catch (error) {
      log(`database files not prewarmed (${(error as Error).message}): the first calls read from disk`);
    }
  }
  if (!args.has("no-build")) buildServer();
  // The server serves the SPA from apps/admin/dist: built when missing or older than its sources.
  if (DASHBOARD) await ensureAdminBuilt();

  const secrets = {
    JWT_SECRET: randomBytes(32).toString("hex"),
    PAYMENT_PRIVATE_KEY: randomBytes(16).toString("hex"),
    ADMIN_PASSWORD: randomBytes(12).toString("hex"),
  };
  const port = await freePort();
  const server = await startService({
    name: "API server",
    args: [...NPM_START_NODE_FLAGS, "--conditions=compiled", DEFAULT_SERVER_ENTRY],
    env: {
      ...process.env,
      ...secrets,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: url,
      ...(readUrl ? { DATABASE_READ_URL: withDatabase(readUrl, dbName) } : {}),
      LOG_LEVEL: "warn",
      ADMIN_LOGIN: "scale-bootstrap-admin",
      WEB_CONCURRENCY: "1",
      METRICS_PORT: "",
      REDIS_URL: "",
    },
    cwd: REPO_ROOT,
    port,
    readyPath: "/ready",
    logFile: join(mkdtempSync(join(tmpdir(), "bench-scale-")), "api.log"),
    // Migrations added since the build run at start (an index over 10 M rows takes a while).
    timeoutMs: 1_800_000,
  });
  log(`API server pid ${server.pid} on ${server.url}`);
  // The roll-ups catch up once (a fresh build has none; the server's job folds a month / 200,000 rows per
  // step every 10 s): fold everything before measuring, and say how long that took.
  {
    const t = Date.now();
    const db = await createDb({ databaseUrl: url, migrate: false, poolSize: 1 });
    try {
      // Until the closed days reach yesterday and the watermark the newest row older than the margin (the
      // server's own job may hold the state meanwhile: then a run does nothing and we ask again).
      for (;;) {
        await rollupsRepository(db).run({ steps: 100 });
        const [s] = await query<{ days: boolean; seq: boolean }>(
          url,
          `SELECT rolled_through >= (now() AT TIME ZONE 'UTC')::date - 1 AS days,
                  ledger_seq >= (SELECT max(seq) FROM ledger_entries WHERE created_at < now() - interval '2 minutes') AS seq
             FROM report_state`,
        );
        if (s?.days && s.seq) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      log(`roll-ups caught up in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    } finally {
      await db.close();
    }
  }
  const adminToken = signAccessToken(
    { userId: userId(adminNumber(counts)), tokenVersion: 0 },
    secrets.JWT_SECRET,
    7200,
  );
  const admin = bearer(adminToken);
  if (DASHBOARD) {
    const session = {
      token: adminToken,
      expiresAt: Date.now() + 7200_000,
      userId: userId(adminNumber(counts)),
      login: "scale-admin",
    };
    const d = await measureDashboard({ baseUrl: server.url, session, log });
    process.stdout.write(
      `\ndashboard in Chromium, navigation start → stats and books painted: median ${d.median.toFixed(0)} ms of ${d.times.length} fresh pages (${d.times.map((t) => t.toFixed(0)).join(", ")} ms; the first with a cold cache); key figures alone ${d.figuresMedian.toFixed(0)} ms, books alone ${d.booksMedian.toFixed(0)} ms (medians); screenshot ${d.screenshot}\n`,
    );
  }
  const customer = (i: number) =>
    bearer(signAccessToken({ userId: userId(i), tokenVersion: 0 }, secrets.JWT_SECRET, 7200));
  const activeUser = () => {
    for (;;) {
      const i = randomInt(1, counts.users + 1);
      if (i % 100 !== 0 && i % 1000 !== 500) return i;
    }
  };

  async function call(shape: RequestShape): Promise<{ ms: number; status: number; body: string }> {
    const t = process.hrtime.bigint();
    const res = await fetch(server.url + shape.path, {
      method: shape.method,
      headers: { "content-type": "application/json", ...shape.headers },
      body: shape.body,
    });
    const body = await res.text();
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, status: res.status, body };
  }

  const figures: Figure[] = [];
  async function measure(name: string, next: () => RequestShape, note?: string) {
    const times: number[] = [];
    for (let i = 0; i < RUNS + 2; i++) {
      const r = await call(next());
      if (r.status >= 300) throw new Error(`${name}: ${r.status} ${r.body.slice(0, 300)}`);
      if (i >= 2) times.push(r.ms);
    }
    times.sort((a, b) => a - b);
    const f = { call: name, median: percentile(times, 0.5)!, p95: percentile(times, 0.95)!, note };
    figures.push(f);
    log(`${name.padEnd(64)} ${f.median.toFixed(1).padStart(9)} ms  p95 ${f.p95.toFixed(1)} ms`);
  }
  const get =
    (path: string, headers = admin) =>
    () => ({ method: "GET" as const, path, headers });
  /** The cursor of the last page of a listing, then that page by it. */
  const lastPage = (path: string) => get(`${path}${path.includes("?") ? "&" : "?"}cursor=last`);

  // ── The customer ──
  let tx = Date.now() * 1000; // provider transaction ids no earlier run used
  if (runs("customer")) {
    await measure("GET /users/me", () => get("/users/me", customer(activeUser()))());
    await measure("GET /products", () => get("/products?limit=20", customer(activeUser()))());
  }
  const buy = (): RequestShape => {
    const u = activeUser();
    return {
      method: "POST",
      path: "/products/buy",
      headers: customer(u),
      body: JSON.stringify({ productId: productId(randomInt(1, counts.products + 1)), accountId: accountId(u) }),
    };
  };
  const creditCall = (): RequestShape => {
    const u = activeUser();
    const t = tx++;
    const amount = "10.50";
    const signature = signWebhook(secrets.PAYMENT_PRIVATE_KEY, { transaction_id: t, user_id: u, bill_id: u, amount });
    return {
      method: "POST",
      path: "/payment/webhook",
      body: `{"signature":"${signature}","transaction_id":${t},"user_id":${u},"bill_id":${u},"amount":${amount}}`,
    };
  };
  if (runs("customer")) {
    await measure("POST /products/buy", buy);
    await measure("POST /payment/webhook (credit)", creditCall);
  }

  // ── The operator's listings: every filter, first page and last page ──
  const day = 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  if (runs("listings")) await listings();
  async function listings() {
    const someUser = userId(12345 % counts.users);
    const someAccount = accountId(12345 % counts.users);
    const someProduct = productId(17);
    const [someEntry] = await query<{ id: string }>(url, `SELECT id::text FROM ledger_entries WHERE seq = 1000`);
    const tFilters: [string, string][] = [
      ["", "first page"],
      ["kind=credit", ""],
      ["kind=purchase", ""],
      ["kind=refund", "none exist"],
      [`userId=${someUser}`, ""],
      [`accountId=${someAccount}`, ""],
      [`productId=${someProduct}`, ""],
      [`from=${iso(Date.now() - 30 * day)}`, "30 days"],
      [`from=${iso(Date.now() - 200 * day)}&to=${iso(Date.now() - 199 * day)}`, "one day, 200 days ago"],
      [`kind=credit&from=${iso(Date.now() - 30 * day)}`, ""],
      [`productId=${someProduct}&from=${iso(Date.now() - 30 * day)}`, ""],
      [`id=${someEntry!.id}`, ""],
      [`transactionId=4242`, ""],
    ];
    for (const [q, note] of tFilters) {
      await measure(`GET /transactions?${q}`, get(`/transactions?${q}`), note);
      if (!q.startsWith("id=") && !q.startsWith("transactionId")) {
        await measure(`GET /transactions?${q} — last page`, lastPage(`/transactions?${q}`));
      }
    }
    // A deep page by cursor: the 50th page of the whole ledger.
    let cursor: string | null = null;
    for (let i = 0; i < 50; i++) {
      const r = await call(get(`/transactions?limit=100${cursor ? `&cursor=${cursor}` : ""}`)());
      cursor = (JSON.parse(r.body) as { nextCursor: string }).nextCursor;
    }
    await measure(
      "GET /transactions (page 51 of 100 rows, by cursor)",
      get(`/transactions?limit=100&cursor=${cursor}`),
    );

    for (const sort of ["login", "joined", "balance"]) {
      for (const order of ["asc", "desc"]) {
        await measure(`GET /users?sort=${sort}&order=${order}`, get(`/users?sort=${sort}&order=${order}`));
        await measure(
          `GET /users?sort=${sort}&order=${order} — last page`,
          lastPage(`/users?sort=${sort}&order=${order}`),
        );
      }
    }
    for (const q of [
      "search=scale00123",
      "search=zz-no-such-login",
      "status=disabled",
      "status=pending",
      "isActive=false",
    ]) {
      await measure(`GET /users?${q}`, get(`/users?${q}`));
      await measure(`GET /users?${q} — last page`, lastPage(`/users?${q}`));
    }
    // offset is bounded at MAX_OFFSET (10,000): the deepest page it reaches, and the answer beyond it.
    await measure(`GET /users?offset=${MAX_OFFSET}`, get(`/users?offset=${MAX_OFFSET}`), "the deepest offset");
    {
      const r = await call(get("/users?offset=900000")());
      log(`GET /users?offset=900000: ${r.status} in ${r.ms.toFixed(1)} ms (beyond the bound: page with a cursor)`);
      figures.push({
        call: "GET /users?offset=900000",
        median: r.ms,
        p95: r.ms,
        note: `${r.status}: cursor beyond 10,000`,
      });
    }
    await measure(`GET /users/{id}/transactions`, get(`/users/${someUser}/transactions`));
    await measure(`GET /users/{id}`, get(`/users/${someUser}`));

    for (const q of [
      "",
      "outcome=credited",
      "outcome=invalid_signature",
      `userId=${12345 % counts.users}`,
      "transactionId=4242",
      `from=${iso(Date.now() - 30 * day)}`,
    ]) {
      await measure(`GET /webhooks?${q}`, get(`/webhooks?${q}`));
      if (!q.startsWith("transactionId")) await measure(`GET /webhooks?${q} — last page`, lastPage(`/webhooks?${q}`));
    }
    for (const q of [
      "",
      "action=user.disable",
      `actorId=${userId(adminNumber(counts))}`,
      "targetType=product",
      `targetId=${productId(17)}`,
      `from=${iso(Date.now() - 30 * day)}`,
    ]) {
      await measure(`GET /audit?${q}`, get(`/audit?${q}`));
      await measure(`GET /audit?${q} — last page`, lastPage(`/audit?${q}`));
    }
  }

  // ── Reports ──
  const today = new Date().toISOString().slice(0, 10);
  const daysAgo = (n: number) => new Date(Date.now() - n * day).toISOString().slice(0, 10);
  if (runs("reports")) {
    await measure("GET /stats (30 days)", get(`/stats?from=${daysAgo(29)}&to=${today}`));
    await measure("GET /stats (366 days)", get(`/stats?from=${daysAgo(365)}&to=${today}`));
    await measure("GET /stats (366 days, a year ago)", get(`/stats?from=${daysAgo(400)}&to=${daysAgo(35)}`));
    await measure("GET /reconciliation", get(`/reconciliation`));
  }

  // ── CSV export: rows per second and the server's memory ──
  if (runs("csv")) {
    const q = `from=${iso(Date.now() - 10 * day)}`;
    const sampler = startSampler(server.pid);
    const t = Date.now();
    const res = await fetch(`${server.url}/transactions.csv?${q}`, { headers: admin });
    let lines = 0;
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Counted by Buffer.indexOf (native): a byte loop in JS cost this client more CPU than the server.
      const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) lines++;
    }
    const seconds = (Date.now() - t) / 1000;
    const sample = sampler.stop();
    const rows = lines - 1;
    const note = `${Math.round(rows / seconds)} rows/s, server RSS max ${sample.rssMaxMb?.toFixed(0)} MB`;
    log(`CSV export (${q}): ${rows} rows in ${seconds.toFixed(1)} s: ${note}`);
    figures.push({
      call: `GET /transactions.csv?from=<10 days ago> (${rows} rows)`,
      median: seconds * 1000,
      p95: seconds * 1000,
      note,
    });
  }

  // ── Purchases alone, then with three report loops ──
  /** Purchases for LOAD_SECONDS at 10 connections, with the server's CPU per purchase. */
  const load = async () => {
    const sampler = startSampler(server.pid);
    const r = await runHttp({ url: server.url, connections: 10, durationSec: LOAD_SECONDS, next: buy });
    const cpu = sampler.stop().cpuCores ?? 0;
    return { ...r, cpuMsPerCall: (1000 * cpu) / Math.max(1, r.rps) };
  };
  // ── What each call of the load costs the machine: one connection, closed loop, 5 s each ──
  // (server CPU: the API process; machine: every core's busy time, PostgreSQL and this client included)
  const reportLoops = () => [
    get(`/stats?from=${daysAgo(365)}&to=${today}`),
    get(`/reconciliation`),
    get(`/transactions?kind=credit&from=${iso(Date.now() - 30 * day)}`),
  ];
  if (runs("costs")) {
    const cores = availableParallelism();
    const shapes: [string, () => RequestShape][] = [
      ["POST /products/buy", buy],
      ["GET /stats (366 days)", reportLoops()[0]!],
      ["GET /reconciliation", reportLoops()[1]!],
      ["GET /transactions?kind=credit&from=<30 days ago>", reportLoops()[2]!],
    ];
    for (const [name, next] of shapes) {
      const sampler = startSampler(server.pid);
      const r = await runHttp({ url: server.url, connections: 1, durationSec: 5, next });
      const sample = sampler.stop();
      const server_ = (1000 * (sample.cpuCores ?? 0)) / Math.max(1, r.rps);
      const machine = (1000 * sample.machineBusy * cores) / Math.max(1, r.rps);
      log(
        `cost of ${name.padEnd(48)} ${r.rps.toFixed(0).padStart(5)} req/s alone; CPU per call: API ${server_.toFixed(2)} ms, machine ${machine.toFixed(2)} ms`,
      );
      figures.push({
        call: `${name}, one connection`,
        median: 1000 / Math.max(1, r.rps),
        p95: r.p99Ms,
        note: `CPU per call: API ${server_.toFixed(2)} ms, machine ${machine.toFixed(2)} ms (p99 in the p95 column)`,
      });
    }
  }

  // Alternating rounds (alone, then with the loops), so that a machine that drifts moves both: the ratio
  // of each round, and their median.
  const rounds: {
    alone: Awaited<ReturnType<typeof load>>;
    withReports: Awaited<ReturnType<typeof load>>;
    reportCalls: number[];
  }[] = [];
  if (runs("load")) {
    // A round of purchases first, not counted: from a cold start (the accounts' pages, the plans) the
    // first rounds alone ran at half the later ones' rate (255, 336, then 426–544 req/s).
    const warm = await load();
    log(`warm-up (not counted): purchases alone ${warm.rps.toFixed(0)} req/s`);
  }
  for (let round = 0; runs("load") && round < LOAD_ROUNDS; round++) {
    const alone = await load();
    log(
      `purchases alone: ${alone.rps.toFixed(0)} req/s, p99 ${alone.p99Ms} ms, ${alone.cpuMsPerCall.toFixed(2)} ms CPU each`,
    );
    // The loops run in a process of their own (report-loops.mjs) for the whole load and a moment more.
    const loops = spawn(
      process.execPath,
      [
        join(import.meta.dirname, "report-loops.mjs"),
        JSON.stringify({
          url: server.url,
          paths: reportLoops().map((next) => next().path),
          headers: admin,
          seconds: LOAD_SECONDS + 1,
        }),
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    loops.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((resolve) => loops.on("exit", () => resolve()));
    while (!out.includes("ready\n")) await new Promise((r) => setTimeout(r, 20));
    const withReports = await load();
    await exited;
    const reportCalls = JSON.parse(out.slice(out.indexOf("ready\n") + 6)) as number[];
    log(
      `purchases with three report loops: ${withReports.rps.toFixed(0)} req/s, p99 ${withReports.p99Ms} ms (${((100 * withReports.rps) / alone.rps).toFixed(0)} %); report calls ${reportCalls.join(", ")}; server CPU per purchase, reports included: ${withReports.cpuMsPerCall.toFixed(2)} ms`,
    );
    rounds.push({ alone, withReports, reportCalls });
  }

  process.stdout.write(
    `\n| call | median ms | p95 ms | note |\n|---|---:|---:|---|\n${figures
      .map((f) => `| \`${f.call}\` | ${f.median.toFixed(1)} | ${f.p95.toFixed(1)} | ${f.note ?? ""} |`)
      .join("\n")}\n`,
  );
  if (rounds.length > 0) {
    const ratios = rounds.map((r) => (100 * r.withReports.rps) / r.alone.rps).sort((x, y) => x - y);
    const sum = (pick: (r: (typeof rounds)[number]) => number) => rounds.reduce((t, r) => t + pick(r), 0);
    const ofSums = (100 * sum((r) => r.withReports.rps)) / sum((r) => r.alone.rps);
    process.stdout.write(
      `\n${rounds
        .map(
          (r, i) =>
            `round ${i + 1}: purchases alone ${r.alone.rps.toFixed(0)} req/s (p99 ${r.alone.p99Ms} ms); with three report loops ${r.withReports.rps.toFixed(0)} req/s (p99 ${r.withReports.p99Ms} ms)`,
        )
        .join(
          "\n",
        )}\npurchases with three report loops keep ${percentile(ratios, 0.5)!.toFixed(0)} % (median of ${rounds.length} rounds: ${ratios.map((x) => x.toFixed(0)).join(", ")} %; ${ofSums.toFixed(0)} % of the rounds' sums); the report loops got ${(sum((r) => r.reportCalls.reduce((a, b) => a + b, 0)) / (rounds.length * LOAD_SECONDS)).toFixed(1)} answers/s in all (stats, reconciliation, listing: ${[0, 1, 2].map((i) => (sum((r) => r.reportCalls[i] ?? 0) / (rounds.length * LOAD_SECONDS)).toFixed(1)).join(", ")})\n`,
    );
  }
}

main()
  .catch((error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  })
  .finally(() => stopAllChildren());
