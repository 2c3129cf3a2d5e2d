// The database's own ceiling: pgbench running the very statements the API sends for a purchase and
// for a credit (read from purchases.service.ts and payments.service.ts at every run; only the
// parameters are computed by pgbench), prepared, at the API run's concurrency.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PRODUCTS, USERS } from "./database.ts";
import { track } from "./processes.ts";
import { percentile } from "./stats.ts";

/**
 * The statement of a `$queryRaw<RowType[]>\`…\`` template in a service file, with each `${…}`
 * replaced by the pgbench expression given for it. Read from the source at every run, so the baseline
 * follows the code; an interpolation it does not know stops the benchmark instead of guessing.
 */
export function extractStatement(
  servicesDir: string,
  file: string,
  rowType: string,
  params: Record<string, string>,
): string {
  const source = readFileSync(join(servicesDir, file), "utf8");
  const match = new RegExp(`\\$queryRaw<${rowType}\\[\\]>\`([^\`]*)\``).exec(source);
  if (!match)
    throw new Error(`bench: no $queryRaw<${rowType}[]> statement in ${file}: update apps/api/bench/pgbench.ts`);
  const sql = match[1]!.replace(/\$\{([^}]*)\}/g, (_all, expression: string) => {
    const replacement = params[expression.trim()];
    if (replacement === undefined) {
      throw new Error(`bench: ${file} interpolates \${${expression}}, unknown to apps/api/bench/pgbench.ts`);
    }
    return replacement;
  });
  const lines = sql.split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return `${lines
    .map((l) => l.slice(indent))
    .join("\n")
    .trim()};\n`;
}

/**
 * purchases.service.ts buyProduct(): a random account (never the hot one) buys a random product. The
 * ids are text, as the API sends them (the statement casts them); NULL for the Idempotency-Key.
 */
export function purchaseScript(servicesDir: string): string {
  return (
    `\\set u random(2, ${USERS})\n\\set p random(1, ${PRODUCTS})\n` +
    extractStatement(servicesDir, "purchases.service.ts", "DebitRow", {
      "request.productId": textId("8000", ":p"),
      "request.accountId": textId("a000", ":u"),
      "request.userId": textId("9000", ":u"),
      "key ?? null": "NULL",
    })
  );
}

/**
 * payments.service.ts handleWebhook(): credit a random user's account (bill_id = user_id = u).
 * transaction_id is unique per run and client: base (per run) + client_id * 1e9 + a per-client
 * counter (pgbench variables persist across a client's transactions), so no transaction ever
 * collides on UNIQUE(transaction_id). Needs -D n=0 -D base=… -D amount=… -D hash=….
 */
export function creditScript(servicesDir: string): string {
  return (
    `\\set n :n + 1\n\\set u random(2, ${USERS})\n\\set tx :base + :client_id * 1000000000 + :n\n` +
    extractStatement(servicesDir, "payments.service.ts", "CreditRow", {
      "input.user_id": ":u",
      "input.bill_id": ":u",
      amount: ":amount",
      "input.transaction_id": ":tx",
      payloadHash: ":hash",
    })
  );
}

/** The text of the deterministic id of row :var (see database.ts). */
const textId = (group: string, variable: string) =>
  `('00000000-0000-4000-${group}-' || lpad(${variable}::text, 12, '0'))`;

export interface PgbenchResult {
  clients: number;
  tps: number;
  processed: number;
  failed: number;
  p50Ms: number | undefined;
  p99Ms: number | undefined;
  /** pgbench's exit status: non-zero when a client aborted. */
  exitCode: number | null;
  output: string;
}

function libpqEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: u.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1",
    PGPORT: u.port || "5432",
    PGUSER: decodeURIComponent(u.username) || "postgres",
    PGDATABASE: decodeURIComponent(u.pathname.slice(1)),
  };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const sslmode = u.searchParams.get("sslmode");
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

export async function runPgbench(options: {
  pgbench: string;
  url: string;
  script: string;
  clients: number;
  durationSec: number;
  defines?: Record<string, string>;
}): Promise<PgbenchResult> {
  const dir = mkdtempSync(join(tmpdir(), "shop-bench-pgbench-"));
  try {
    const scriptFile = join(dir, "script.sql");
    writeFileSync(scriptFile, options.script);
    const args = [
      "-n",
      "-M",
      "prepared",
      "-f",
      scriptFile,
      "-c",
      String(options.clients),
      "-j",
      String(Math.min(2, options.clients)),
      "-T",
      String(Math.max(1, Math.round(options.durationSec))),
      "-l",
      `--log-prefix=${join(dir, "tx")}`,
    ];
    for (const [name, value] of Object.entries(options.defines ?? {})) args.push("-D", `${name}=${value}`);
    const child = track(spawn(options.pgbench, args, { env: libpqEnv(options.url), cwd: dir }));
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code) => resolve(code));
    });
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output);
    if (!tps) throw new Error(`pgbench failed (exit ${exitCode}):\n${output.slice(-2000)}`);
    const latenciesUs: number[] = [];
    for (const file of readdirSync(dir)) {
      if (!file.startsWith("tx.")) continue;
      for (const line of readFileSync(join(dir, file), "utf8").split("\n")) {
        const us = Number(line.split(" ")[2]); // client_id transaction_no time(µs) …
        if (line && Number.isFinite(us)) latenciesUs.push(us);
      }
    }
    latenciesUs.sort((a, b) => a - b);
    const p50 = percentile(latenciesUs, 0.5);
    const p99 = percentile(latenciesUs, 0.99);
    return {
      clients: options.clients,
      tps: Number(tps[1]),
      processed: Number(/number of transactions actually processed: (\d+)/.exec(output)?.[1] ?? 0),
      failed: Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0),
      p50Ms: p50 === undefined ? undefined : p50 / 1000,
      p99Ms: p99 === undefined ? undefined : p99 / 1000,
      exitCode,
      output,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
