// A private nats-server with JetStream for the relay's tests and bench: its own port and store
// directory (the shared server on 4222 is left alone), restartable on the same store, always stopped.
// No vitest here: the bench imports it too.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect as netConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exitOf, freePort, running, stopChild, track } from "./processes.ts";

export const NATS_SERVER_BIN = "/usr/sbin/nats-server";

export interface NatsServer {
  url: string;
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it and removes its store. */
  dispose(): Promise<void>;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

export async function natsServer(): Promise<NatsServer> {
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), "shop-nats-"));
  let child: ChildProcess | undefined;
  const server: NatsServer = {
    url: `nats://127.0.0.1:${port}`,
    port,
    async start() {
      child = track(
        spawn(NATS_SERVER_BIN, ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", store], { stdio: "ignore" }),
      );
      const exited = exitOf(child);
      const end = Date.now() + 15_000;
      while (!(await portOpen(port))) {
        if (!running(child)) throw new Error(`nats-server exited: ${JSON.stringify(await exited)}`);
        if (Date.now() > end) throw new Error("nats-server did not start in 15 s");
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (child) await stopChild(child, 5000);
      child = undefined;
    },
    async dispose() {
      await server.stop();
      rmSync(store, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
