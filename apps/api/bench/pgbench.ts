// The database's own ceiling: pgbench running the very statements the API sends for a purchase (the
// sign-in check, then the debit) and for a credit (imported from the repositories, so the baseline is
// the very SQL the API prepares; only the parameters are computed by pgbench), at the API run's concurrency.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { creditStatement, purchaseStatement } from "../src/repositories/ledger.repository.ts";
import { authUserByIdStatement } from "../src/repositories/users.repository.ts";
import { PRODUCTS, USERS } from "./database.ts";
import { track } from "./processes.ts";
import { percentile } from "./stats.ts";

/**
 * A service's statement (its `statement()` constant) as a pgbench script line: each `$n` placeholder
 * replaced by the pgbench expression given for it; a placeholder without an expression stops the benchmark.
 */
export function pgbenchStatement(statement: { name: string; text: string }, params: string[]): string {
  // pgbench reads every ":name" as a variable, even inside a string literal ('HH24:MI:SS'): such
  // colons become chr(58), which PostgreSQL folds back into the same constant when it plans.
  const literalsSafe = statement.text.replace(/'(?:[^']|'')*'/g, (literal) =>
    literal.replace(/:/g, "' || chr(58) || '"),
  );
  const sql = literalsSafe.replace(/\$(\d+)/g, (_all, n: string) => {
    const replacement = params[Number(n) - 1];
    if (replacement === undefined) {
      throw new Error(`bench: ${statement.name} uses $${n}, unknown to apps/api/bench/pgbench.ts`);
    }
    return replacement;
  });
  return `${sql.trim()};\n`;
}

/**
 * What the API sends for one purchase, in order: the sign-in check of every authenticated request
 * (users.repository authUserById) and the debit (accounts.repository purchase), for a random
 * account (never the hot one) and a random product. The ids are text, as the API sends them (the
 * statements cast them); NULL for the Idempotency-Key.
 */
export function purchaseScript(): string {
  return (
    `\\set u random(2, ${USERS})\n\\set p random(1, ${PRODUCTS})\n` +
    pgbenchStatement(authUserByIdStatement, [textId("9000", ":u")]) +
    pgbenchStatement(purchaseStatement, [textId("8000", ":p"), textId("a000", ":u"), textId("9000", ":u")])
  );
}

/**
 * The webhook's credit (accounts.repository credit): credit a random user's account (bill_id = user_id = u)
 * and write its delivery record (source address, a body of a webhook call's size, not truncated).
 * transaction_id is unique per run and client: base (per run) + client_id * 1e9 + a per-client
 * counter (pgbench variables persist across a client's transactions), so no transaction ever
 * collides on UNIQUE(transaction_id). Needs -D n=0 -D base=… -D amount=… -D hash=….
 */
export function creditScript(): string {
  return (
    `\\set n :n + 1\n\\set u random(2, ${USERS})\n\\set tx :base + :client_id * 1000000000 + :n\n` +
    pgbenchStatement(creditStatement, [
      ":u",
      ":u",
      ":amount",
      ":tx",
      ":hash",
      "'127.0.0.1'",
      `repeat('x', ${WEBHOOK_BODY_BYTES})`,
      "false",
    ])
  );
}

/** About the length of the benchmark's webhook bodies (http-load.ts), which the delivery record keeps. */
const WEBHOOK_BODY_BYTES = 120;

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
