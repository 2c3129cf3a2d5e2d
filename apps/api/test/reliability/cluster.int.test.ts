// WEB_CONCURRENCY=2: one API server (`node --import tsx apps/api/src/main.ts`) that runs two cluster
// workers on one port. It serves from both workers, replaces a worker killed with SIGKILL (and logs
// it), and on SIGTERM lets the requests in flight finish in every worker before the whole process
// tree exits 0. PostgreSQL only: the embedded database is one process.
//
// "In flight" is a request a worker has begun to read. A connection that no worker has read a request
// from yet when the drain begins — still in the kernel's accept queue, in the primary's queue of accepted
// connections not yet handed to a worker (node:cluster closes those when the last worker stops listening),
// or handed over a moment ago with its bytes unparsed (server.close() closes idle connections) — is
// reset, as by any server that stops listening: a load balancer stops sending before SIGTERM
// (docs/deploy.md). So the drain test holds its requests open inside the workers, checks on the
// primary's metrics that all 30 are there, and only then sends SIGTERM.
import { once } from "node:events";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { createEmptyPostgresDb, testDatabaseUrl } from "@shop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send } from "../support/http.ts";
import { freePort } from "../support/processes.ts";
import { type ApiServer, SERVER_SECRETS, startApiServer } from "./api-server.ts";

const SKIP_REASON = "PostgreSQL only: a cluster needs a database several processes can open";
if (!testDatabaseUrl) console.log(`[reliability] cluster.int.test.ts: ${SKIP_REASON}`);

interface LogLine {
  msg?: string;
  worker?: number;
  workerPid?: number;
  pid?: number;
}

function logLines(server: ApiServer): LogLine[] {
  return server
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine);
}

/** The pids of the workers currently listening, from the primary's log. */
function listeningWorkers(server: ApiServer): Map<number, number> {
  const workers = new Map<number, number>();
  for (const line of logLines(server)) {
    if (line.msg === "worker listening" && line.worker !== undefined) workers.set(line.worker, line.workerPid!);
    if ((line.msg === "worker died: starting a replacement" || line.msg === "worker stopped") && line.worker)
      workers.delete(line.worker);
  }
  return workers;
}

async function until(what: string, server: ApiServer, check: () => boolean | Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not seen after ${timeoutMs} ms\n${server.output()}`);
    await sleep(50);
  }
}

/** http_requests_in_flight from the primary's /metrics (every worker's, summed). */
async function requestsInFlight(metricsPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  return Number(/^http_requests_in_flight (\d+)$/m.exec(text)?.[1] ?? NaN);
}

/**
 * A POST on a connection of its own, sent but for the last byte of its body; `finish()` sends that byte
 * and resolves with the answer (the server closes the connection after it: Connection: close).
 */
async function heldRequest(port: number, path: string, body: string) {
  const socket = connect({ host: "127.0.0.1", port });
  await once(socket, "connect");
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    socket.once("end", resolve);
    socket.once("error", reject);
  });
  ended.catch(() => {}); // a reset surfaces in finish(), not as an unhandled rejection before it
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, -1)}`,
  );
  return {
    async finish(): Promise<{ status: number; body: string }> {
      socket.write(body.slice(-1));
      await ended;
      socket.destroy();
      const text = Buffer.concat(chunks).toString("utf8");
      const [head = "", ...rest] = text.split("\r\n\r\n");
      return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), body: rest.join("\r\n\r\n") };
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!testDatabaseUrl)(
  `cluster: WEB_CONCURRENCY=2 on one port${testDatabaseUrl ? "" : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    let drop: (() => Promise<void>) | undefined;
    let server: ApiServer;
    let metricsPort: number;

    beforeAll(async () => {
      const empty = await createEmptyPostgresDb(testDatabaseUrl!);
      drop = empty.drop;
      metricsPort = await freePort();
      server = await startApiServer({
        name: "cluster",
        databaseUrl: empty.url,
        // The drain test signs in 30 times at once: above the per-login limit of failed attempts it would meet.
        env: {
          WEB_CONCURRENCY: "2",
          LOG_LEVEL: "info",
          DATABASE_POOL_SIZE: "4",
          LOGIN_LIMIT_PER_LOGIN: "1000",
          METRICS_PORT: String(metricsPort),
        },
      });
      await until("two workers listening", server, () => listeningWorkers(server).size === 2);
    });

    afterAll(async () => {
      await server?.kill9();
      await drop?.();
    });

    it("serves from both workers", async () => {
      const login = await send(server.base, "POST", "/auth", {
        json: { login: SERVER_SECRETS.ADMIN_LOGIN, password: SERVER_SECRETS.ADMIN_PASSWORD },
      });
      expect(login.status, login.text).toBe(200);
      // A fresh connection per request: node:cluster hands connections to the workers in turn.
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          send(server.base, "GET", "/products", { token: login.body.accessToken, headers: { connection: "close" } }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
      const pids = new Set(
        logLines(server)
          .filter((l) => l.msg === "request completed")
          .map((l) => l.pid),
      );
      expect(pids).toEqual(new Set(listeningWorkers(server).values()));
    });

    it("serves /metrics on METRICS_PORT only, summed over the workers", async () => {
      const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/plain");
      const text = await res.text();
      // The 20 product pages of the first test were answered by two workers; the primary adds them up.
      expect(text).toMatch(
        /^http_request_duration_seconds_count\{[^}]*route="\/products"[^}]*status="200"[^}]*\} 20$/m,
      );
      expect(text).toMatch(/^db_pool_connections\{state="max"\} 8$/m); // 2 workers × DATABASE_POOL_SIZE=4
      expect((await send(server.base, "GET", "/metrics")).status).toBe(404);
    });

    it("replaces a worker killed with SIGKILL and logs it", async () => {
      const before = listeningWorkers(server);
      const [victimId, victimPid] = [...before.entries()][0]!;
      process.kill(victimPid, "SIGKILL");
      await until("a replacement worker", server, () => {
        const now = listeningWorkers(server);
        return now.size === 2 && !now.has(victimId);
      });
      const died = logLines(server).find((l) => l.msg === "worker died: starting a replacement");
      expect(died).toMatchObject({ worker: victimId, workerPid: victimPid });
      expect((await send(server.base, "GET", "/health")).status).toBe(200);
      expect([...listeningWorkers(server).values()]).not.toContain(victimPid);
    });

    it("drains every worker on SIGTERM: requests a worker has begun to read are answered, then every process exits 0", async () => {
      const workerPids = [...listeningWorkers(server).values()];
      // 30 sign-ins, each on its own connection, sent but for the last byte of the body: each is a request a
      // worker has begun (its handler waits for the body), and none can finish before SIGTERM.
      const body = JSON.stringify({ login: SERVER_SECRETS.ADMIN_LOGIN, password: SERVER_SECRETS.ADMIN_PASSWORD });
      const pending = await Promise.all(Array.from({ length: 30 }, () => heldRequest(server.port, "/auth", body)));
      // Every one of them has reached a worker: the workers' requests in flight, summed by the primary.
      await until(
        "30 requests in flight in the workers",
        server,
        async () => (await requestsInFlight(metricsPort)) === 30,
      );
      server.child.kill("SIGTERM");
      // Both workers are draining (their listening sockets closed) before the bodies are finished.
      await until("both workers shutting down", server, () => {
        const stopping = logLines(server).filter((l) => l.msg === "shutting down" && l.worker !== undefined);
        return new Set(stopping.map((l) => l.worker)).size === 2;
      });
      const answers = await Promise.all(pending.map((p) => p.finish()));
      expect(answers.map((a) => a.status)).toEqual(Array(30).fill(200));
      for (const a of answers) expect(JSON.parse(a.body)).toMatchObject({ tokenType: "Bearer" });
      const exit = await server.exited;
      expect(exit).toEqual({ code: 0, signal: null });
      expect(workerPids.filter(isAlive)).toEqual([]);
      expect(logLines(server).filter((l) => l.msg === "worker stopped")).toHaveLength(2);
    });
  },
);
