// Every documented REST operation reaches its own procedure. trpc-to-openapi answers a request with
// the first registered procedure whose path matches, so a templated path registered too early
// (/users/{id} before /users/me) would silently take another operation's requests: this test sends
// each operation's own path and reads, from the request log, which procedure answered.
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import pino from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../src/routers/_app.ts";
import { useHarness } from "./harness.ts";

const lines: { procedure?: string; req?: { method: string; url: string } }[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
    done();
  },
});

/** Each procedure with a REST path, from the router itself: "METHOD /path" → procedure name. */
const declared = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { meta?: unknown } }>,
).flatMap(([name, procedure]) => {
  const openapi = (procedure._def.meta as { openapi?: { method: string; path: string } } | undefined)?.openapi;
  return openapi ? [{ operation: `${openapi.method} ${openapi.path}`, name, ...openapi }] : [];
});

describe("REST paths → procedures", () => {
  const h = useHarness({ log: pino({ level: "info" }, sink) });
  let documented: string[];
  beforeAll(async () => {
    const doc = (await h.http.get("/openapi.json")).body as { paths: Record<string, Record<string, unknown>> };
    documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
  });

  it("documents exactly the procedures that declare a REST path (and Express's /health, /ready, /transactions.csv)", () => {
    const express = ["GET /health", "GET /ready", "GET /transactions.csv"];
    expect([...documented].sort()).toEqual([...declared.map((d) => d.operation), ...express].sort());
    expect(declared.length).toBeGreaterThan(10);
  });

  it.each(declared)("$operation is answered by $name", async ({ method, path, name }) => {
    // Template parameters get values no static path uses; the request needs no credentials or body:
    // whatever the procedure answers (401, 400, 404), the log says which one it was.
    const url = path.replace(/\{[^}]+\}/g, () => randomUUID());
    lines.length = 0;
    const call = h.http[method.toLowerCase() as "get" | "post" | "put" | "delete"](url);
    const res = method === "GET" || method === "DELETE" ? await call : await call.send({});
    expect(res.status).toBeLessThan(500);
    const line = lines.at(-1);
    expect(line?.procedure, `${method} ${url} → ${res.status} ${res.text.slice(0, 200)}`).toBe(name);
  });
});
