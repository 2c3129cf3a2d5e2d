// The results as markdown: the machine, the headline ratios against the targets, every run; and the
// block between the markers in docs/performance.md.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import type { PgClient } from "./database.ts";

export interface Row {
  /** What ran, as shown in the table. */
  label: string;
  /** Groups rows for the headline: "buy" / "pgbench-purchase" / … */
  key: string;
  concurrency: number;
  /** pgbench: the clients it actually ran with (capped by the server's free connections). */
  clients?: number;
  rps: number;
  p50Ms: number | undefined;
  p99Ms: number | undefined;
  non2xx: number | undefined;
  errors: number;
  rssMaxMb: number | undefined;
  cpuCores: number | undefined;
  machineBusy: number;
  /** The machine's busy share in the half second before the run, the benchmark idle: other work. */
  backgroundBusy: number;
  statementsPerRequest: number | undefined;
  notes: string[];
}

export interface Machine {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  node: string;
  postgres: string;
  postgresSettings: string;
  loadAverage: string;
  git: string;
}

export async function describeMachine(db: PgClient): Promise<Machine> {
  let cpuModel = "unknown";
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux
  }
  const { rows } = await db.query<{ name: string; setting: string; unit: string | null }>(
    `SELECT name, setting, unit FROM pg_settings
      WHERE name IN ('server_version', 'max_connections', 'shared_buffers', 'synchronous_commit', 'fsync',
                     'wal_level', 'max_wal_size')`,
  );
  const s = Object.fromEntries(rows.map((r) => [r.name, r]));
  const show = (name: string) => {
    const r = s[name];
    if (!r) return "?";
    if (r.unit === "8kB") return `${(Number(r.setting) * 8) / 1024} MB`;
    if (r.unit === "MB") return `${r.setting} MB`;
    return r.setting;
  };
  let git = "unknown";
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { encoding: "utf8" }).trim() !== "";
    git = `${head}${dirty ? " (with uncommitted changes)" : ""}`;
  } catch {
    // not a git checkout
  }
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    cpus: os.availableParallelism(),
    cpuModel,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: show("server_version"),
    postgresSettings:
      `max_connections ${show("max_connections")}, shared_buffers ${show("shared_buffers")}, ` +
      `synchronous_commit ${show("synchronous_commit")}, fsync ${show("fsync")}, max_wal_size ${show("max_wal_size")}`,
    loadAverage: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" / "),
    git,
  };
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number | undefined) => (n === undefined ? "–" : n < 10 ? n.toFixed(1) : String(Math.round(n)));
const opt = (n: number | undefined, f: (n: number) => string) => (n === undefined ? "–" : f(n));

function ratioCell(api: Row | undefined, base: Row | undefined): string {
  if (!api || !base || base.rps === 0) return "–";
  const ratio = api.rps / base.rps;
  return `**${(ratio * 100).toFixed(0)} %** ${ratio >= 0.5 ? "✅" : "❌"}`;
}

export function headlineTable(rows: Row[], concurrencies: number[]): string {
  const find = (key: string, c: number) => rows.find((r) => r.key === key && r.concurrency === c);
  const lines = [
    "| connections | purchase: API req/s | pgbench tps | API / pgbench (≥ 50 %) | credit: API req/s | pgbench tps | API / pgbench (≥ 50 %) | GET /products p99 (< 50 ms at 50) |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const c of concurrencies) {
    const buy = find("buy", c);
    const pgBuy = find("pgbench-purchase", c);
    const credit = find("webhook", c);
    const pgCredit = find("pgbench-credit", c);
    const products = find("products", c);
    const capped = (r: Row | undefined) =>
      r?.clients !== undefined && r.clients !== c ? ` (${r.clients} clients)` : "";
    let productsCell = products ? `${ms(products.p99Ms)} ms` : "–";
    if (products && c === 50) productsCell += products.p99Ms !== undefined && products.p99Ms < 50 ? " ✅" : " ❌";
    lines.push(
      `| ${c} | ${opt(buy?.rps, int)} | ${opt(pgBuy?.rps, int)}${capped(pgBuy)} | ${ratioCell(buy, pgBuy)} ` +
        `| ${opt(credit?.rps, int)} | ${opt(pgCredit?.rps, int)}${capped(pgCredit)} | ${ratioCell(credit, pgCredit)} ` +
        `| ${productsCell} |`,
    );
  }
  return lines.join("\n");
}

export function runsTable(rows: Row[]): string {
  const lines = [
    "| what | conn. | req/s | p50 ms | p99 ms | non-2xx | errors | server RSS max | server CPU | CPU ms / req | machine CPU (before) | SQL / req |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of rows) {
    const conn = r.clients !== undefined && r.clients !== r.concurrency ? `${r.clients}*` : String(r.concurrency);
    lines.push(
      `| ${r.label}${r.notes.length ? ` (${r.notes.join("; ")})` : ""} | ${conn} | ${int(r.rps)} | ${ms(r.p50Ms)} | ${ms(r.p99Ms)} ` +
        `| ${opt(r.non2xx, int)} | ${int(r.errors)} | ${opt(r.rssMaxMb, (n) => `${Math.round(n)} MB`)} ` +
        `| ${opt(r.cpuCores, (n) => `${Math.round(n * 100)} %`)} ` +
        `| ${opt(r.cpuCores, (n) => (r.rps > 0 ? ((n * 1000) / r.rps).toFixed(2) : "–"))} ` +
        `| ${Math.round(r.machineBusy * 100)} % (${Math.round(r.backgroundBusy * 100)} %) ` +
        `| ${opt(r.statementsPerRequest, (n) => n.toFixed(2))} |`,
    );
  }
  return lines.join("\n");
}

export function machineText(m: Machine, settings: { durationSec: number; concurrencies: number[]; poolSize: string }) {
  return [
    `- **Date**: ${m.date}; code at ${m.git}.`,
    `- **Machine**: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB RAM, ${m.kernel}; load average at start ${m.loadAverage}.`,
    `- **Software**: Node ${m.node}; PostgreSQL ${m.postgres} on the same machine (${m.postgresSettings}).`,
    `- **Runs**: ${settings.durationSec} s each, after a warm-up; ${settings.concurrencies.join(", ")} connections; ` +
      `API with DATABASE_POOL_SIZE=${settings.poolSize}, LOG_LEVEL=warn, NODE_ENV=production.`,
  ].join("\n");
}

export function markdown(
  rows: Row[],
  machine: Machine,
  settings: { durationSec: number; concurrencies: number[]; poolSize: string },
) {
  return [
    machineText(machine, settings),
    "",
    "**Headline** — the API against PostgreSQL running the same SQL per request through pgbench (purchase: sign-in check + debit; credit: one statement), at the same concurrency:",
    "",
    headlineTable(rows, settings.concurrencies),
    "",
    "**Every run** — req/s counts 2xx responses only; `server CPU` is the measured process's CPU time over wall time " +
      "(100 % = one core) and `CPU ms / req` the same per 2xx response; `machine CPU` is all of the machine's cores (100 % = all busy, whoever uses them), and in parentheses " +
      "the same in the half second before the run, while the benchmark idled (other users of the machine); " +
      "`SQL / req` is statements sent to PostgreSQL per response (pgbench: per transaction); " +
      "`*` = pgbench ran with fewer clients than the API had connections (the server's max_connections).",
    "",
    runsTable(rows),
  ].join("\n");
}

export const START_MARKER = "<!-- bench:start -->";
export const END_MARKER = "<!-- bench:end -->";

/**
 * Replaces what is between the markers (appends a marked section when the markers are missing), then
 * formats the file with the repository's prettier (its tables would fail `npm run format:check` as written).
 */
export async function writeDocs(path: string, block: string): Promise<void> {
  const text = existsSync(path) ? readFileSync(path, "utf8") : "# Performance\n";
  const start = text.indexOf(START_MARKER);
  const end = text.indexOf(END_MARKER);
  const marked = `${START_MARKER}\n\n${block}\n\n${END_MARKER}`;
  let next =
    start >= 0 && end > start
      ? text.slice(0, start) + marked + text.slice(end + END_MARKER.length)
      : `${text.trimEnd()}\n\n## Results\n\n${marked}\n`;
  try {
    const prettier = await import("prettier");
    const options = (await prettier.resolveConfig(path)) ?? {};
    next = await prettier.format(next, { ...options, filepath: path });
  } catch {
    // prettier is the repository's dev dependency; without it the file is still correct markdown
  }
  writeFileSync(path, next);
}
