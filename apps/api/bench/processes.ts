// Child processes (the API server, the bare Express server, pgbench): started here, tracked, and
// always killed — at the end, on failure, on Ctrl-C, and (SIGKILL) when the benchmark itself exits.
// Ports, tracking, stopping and the readiness wait are the tests' own (../test/support/processes.ts).
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { running, stopChild, track, waitForHttp } from "../test/support/processes.ts";

export { freePort, stopAllChildren, stopChild, track } from "../test/support/processes.ts";

export interface Service {
  child: ChildProcess;
  pid: number;
  port: number;
  url: string;
  logFile: string;
  logTail(lines?: number): string;
}

/**
 * Starts `node <args>` with its output in `logFile` (a file, not a pipe: the benchmark's own event
 * loop must not be the one draining a busy server's log) and waits until `readyPath` answers 200.
 */
export async function startService(options: {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  port: number;
  readyPath: string;
  logFile: string;
  ipc?: boolean;
  timeoutMs?: number;
}): Promise<Service> {
  const fd = openSync(options.logFile, "a");
  const child = track(
    spawn(process.execPath, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: options.ipc ? ["ignore", fd, fd, "ipc"] : ["ignore", fd, fd],
    }),
  );
  closeSync(fd);
  const url = `http://127.0.0.1:${options.port}`;
  const logTail = (lines = 30) => {
    try {
      return readFileSync(options.logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "";
    }
  };
  try {
    await waitForHttp(url + options.readyPath, child, {
      name: options.name,
      timeoutMs: options.timeoutMs ?? 90_000,
      intervalMs: 200,
      output: () => logTail(),
    });
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  // Whoever answered must be this child (a port taken in between would make it exit at once).
  await sleep(300);
  if (!running(child)) {
    throw new Error(`${options.name} exited (${child.exitCode ?? child.signalCode}) after start:\n${logTail()}`);
  }
  return { child, pid: child.pid!, port: options.port, url, logFile: options.logFile, logTail };
}

/** Asks the API server (loaded with count-statements.mjs) how many statements it has sent so far. */
export async function statementCount(child: ChildProcess): Promise<number | undefined> {
  if (!child.connected) return undefined;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off("message", onMessage);
      resolve(undefined);
    }, 2_000);
    const onMessage = (message: unknown) => {
      if (typeof message === "object" && message && "statements" in message) {
        clearTimeout(timer);
        child.off("message", onMessage);
        resolve((message as { statements: number }).statements);
      }
    };
    child.on("message", onMessage);
    child.send("bench:statements");
  });
}

// ---- /proc sampling -------------------------------------------------------------------------------

const CLOCK_TICKS = 100; // USER_HZ on Linux

function readRssKb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** utime + stime of one process, in clock ticks. */
function readCpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]); // fields 14 and 15 of stat(5)
  } catch {
    return undefined;
  }
}

/** The whole machine: busy and total jiffies over all CPUs. */
function readMachineTicks(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

export interface Sample {
  /** Max VmRSS of the watched process during the run, MiB. */
  rssMaxMb: number | undefined;
  /** CPU time of the watched process / wall time (1.0 = one core busy). */
  cpuCores: number | undefined;
  /** Busy share of all CPUs of the machine, 0..1 (everything: load generator, server, PostgreSQL, others). */
  machineBusy: number;
}

/** Samples a process's RSS every 100 ms (max kept) and its CPU time, until stop() is called. */
export function startSampler(pid: number | undefined): { stop(): Sample } {
  let rssMax = pid === undefined ? undefined : readRssKb(pid);
  const cpu0 = pid === undefined ? undefined : readCpuTicks(pid);
  const machine0 = readMachineTicks();
  const t0 = process.hrtime.bigint();
  const timer = setInterval(() => {
    if (pid === undefined) return;
    const rss = readRssKb(pid);
    if (rss !== undefined && (rssMax === undefined || rss > rssMax)) rssMax = rss;
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const cpu1 = pid === undefined ? undefined : readCpuTicks(pid);
      const machine1 = readMachineTicks();
      const rss = pid === undefined ? undefined : readRssKb(pid);
      if (rss !== undefined && (rssMax === undefined || rss > rssMax)) rssMax = rss;
      return {
        rssMaxMb: rssMax === undefined ? undefined : rssMax / 1024,
        cpuCores: cpu0 === undefined || cpu1 === undefined ? undefined : (cpu1 - cpu0) / CLOCK_TICKS / seconds,
        machineBusy: (machine1.busy - machine0.busy) / Math.max(1, machine1.total - machine0.total),
      };
    },
  };
}
