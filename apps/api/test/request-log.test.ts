// The request log: one line per request with method, path, status and time; the activation token and
// the headers (credentials) never reach it; nothing is written below the configured level.
import { Writable } from "node:stream";
import express from "express";
import pino from "pino";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { requestLog } from "../src/http/request-log.ts";

function appLogging(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const app = express();
  app.use(requestLog(pino({ level }, sink), { ignore: (path) => path === "/health" }));
  app.get("/health", (_req, res) => void res.json({ status: "ok" }));
  app.get("/users/activate/:token", (_req, res) => void res.json({ ok: true }));
  app.get("/missing", (_req, res) => void res.status(404).json({ message: "Not found" }));
  app.get("/boom", (req, res) => {
    req.log.error("handler failed");
    res.status(500).json({ message: "Internal server error" });
  });
  return { app, lines };
}

describe("request log", () => {
  it("writes method, redacted path, status and time; never the headers", async () => {
    const { app, lines } = appLogging("info");
    await request(app).get("/users/activate/secret-token-123").set("Authorization", "Bearer abc.def.ghi");
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({
      level: 30,
      msg: "request completed",
      req: { method: "GET", url: "/users/activate/[redacted]" },
      res: { statusCode: 200 },
    });
    expect(typeof line!.responseTime).toBe("number");
    expect(JSON.stringify(line)).not.toContain("secret-token-123");
    expect(JSON.stringify(line)).not.toContain("abc.def.ghi");
  });

  it("ties the handler's lines and the request line to the request id", async () => {
    const { app, lines } = appLogging("info");
    const res = await request(app).get("/boom").set("X-Request-Id", "trace-42");
    expect(res.headers["x-request-id"]).toBe("trace-42");
    expect(lines.map((l) => [l.msg, l.level, l.reqId])).toEqual([
      ["handler failed", 50, "trace-42"],
      ["request completed", 50, "trace-42"],
    ]);
  });

  it("logs 4xx as warnings, skips ignored paths, and writes nothing below the level", async () => {
    const info = appLogging("info");
    await request(info.app).get("/health");
    await request(info.app).get("/missing");
    expect(info.lines.map((l) => [l.level, (l.res as { statusCode: number }).statusCode])).toEqual([[40, 404]]);

    const warn = appLogging("warn");
    await request(warn.app).get("/users/activate/x");
    await request(warn.app).get("/missing");
    expect(warn.lines.map((l) => (l.res as { statusCode: number }).statusCode)).toEqual([404]);
  });
});
