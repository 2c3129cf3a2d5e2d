// Child processes and ports, for every place that starts a server in another process: the reliability
// suites (API servers they crash and restart), the admin e2e harness (the API the browser talks to) and
// the bench (the API, a bare Express server, pgbench). A tracked child is SIGKILLed when this process
// exits, whatever the way (end of run, failure, Ctrl-C), so no server outlives its runner.
// No vitest here: the e2e harness and the bench import this module too.
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS's pick). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.unref();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

const children = new Set<ChildProcess>();
let hooked = false;

/** Whether the process is still running (no exit seen yet). */
export function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Remembers `child` until it exits; every tracked child is SIGKILLed when this process exits. */
export function track<C extends ChildProcess>(child: C): C {
  if (!hooked) {
    hooked = true;
    process.on("exit", () => {
      for (const c of children) if (running(c)) c.kill("SIGKILL");
    });
  }
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** Resolves with how the process ended (at once if it already has). */
export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (!running(child)) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/** SIGTERM (graceful), SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (!running(child)) return;
  const exited = exitOf(child);
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Stops every tracked child that is still running. */
export async function stopAllChildren(graceMs = 5_000): Promise<void> {
  await Promise.all([...children].map((child) => stopChild(child, graceMs)));
}

/**
 * Resolves once GET `url` answers 200. Throws if `child` exits first or after `timeoutMs`; the error
 * names the process and ends with `output()` (what it wrote), so a failed start explains itself.
 */
export async function waitForHttp(
  url: string,
  child: ChildProcess,
  options: { name: string; timeoutMs?: number; intervalMs?: number; output?: () => string },
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const output = () => (options.output ? `:\n${options.output()}` : "");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!running(child)) {
      const { code, signal } = await exitOf(child);
      throw new Error(`${options.name} exited (code ${code}, signal ${signal}) before it was ready${output()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(options.intervalMs ?? 100);
  }
  throw new Error(`${options.name} not ready after ${timeoutMs} ms${output()}`);
}
