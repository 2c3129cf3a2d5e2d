// The rough edges a newcomer hit (issue 13): the scripts' --help, a busy port, a locked data directory,
// GET /, an activation link opened in a browser, static files in the log, Redoc's CDN logo.
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { useHarness, uniqueLogin } from "./harness.ts";

const API_DIR = fileURLToPath(new URL("..", import.meta.url));
const STACK = /\n\s+at |Unhandled 'error' event|node:internal/;

/** Runs a TypeScript entry point of apps/api as a user would (tsx), with a fresh embedded database. */
function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], {
      cwd: API_DIR,
      // The embedded database: none of the PostgreSQL settings a test run may carry (e.g. through PgBouncer).
      env: {
        ...process.env,
        DATABASE_URL: "",
        DATABASE_DIRECT_URL: "",
        DATABASE_PREPARED_STATEMENTS: "",
        WEB_CONCURRENCY: "",
        NODE_ENV: "development",
        LOG_LEVEL: "info",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("the scripts' --help", () => {
  it("npm run webhook -- --help prints its usage, naming --url and --key", async () => {
    const { code, output } = await run(["scripts/webhook.ts", "--help"]);
    expect(code).toBe(0);
    expect(output).toMatch(/usage: npm run webhook/);
    expect(output).toMatch(/--url/);
    expect(output).toMatch(/--key/);
  });

  it("npm run admin -- --help prints its usage; an unknown option prints it too, without a stack", async () => {
    const help = await run(["src/cli/admin.ts", "--help"]);
    expect(help.code).toBe(0);
    expect(help.output).toMatch(/usage: npm run admin -- --login/);
    const unknown = await run(["src/cli/admin.ts", "--nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toMatch(/usage: npm run admin/);
    expect(unknown.output).not.toMatch(STACK);
  });
});

describe("start-up failures are one clear line", () => {
  it("a busy port: exit 1, 'already in use', no stack", async () => {
    const busy = createServer().listen(0, "127.0.0.1");
    await once(busy, "listening");
    const port = (busy.address() as { port: number }).port;
    const dataDir = await mkdtemp(join(tmpdir(), "busy-port-"));
    try {
      const { code, output } = await run(["src/main.ts"], { PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir });
      expect(code).toBe(1);
      expect(output).toMatch(new RegExp(`port ${port} on 127.0.0.1 is already in use`));
      expect(output).not.toMatch(STACK);
    } finally {
      busy.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("a data directory locked by a running process: its message, no stack", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "locked-data-"));
    try {
      await writeFile(join(dataDir, "shop.pid"), String(process.pid)); // this test process: alive
      const { code, output } = await run(["src/main.ts"], { PORT: "0", DATA_DIR: dataDir });
      expect(code).toBe(1);
      expect(output).toMatch(/is in use by process/);
      expect(output).not.toMatch(STACK);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe("in a browser", () => {
  const lines: { level: number; req?: { url: string } }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
      done();
    },
  });
  const h = useHarness({ log: pino({ level: "info" }, sink) });
  const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

  it("GET / leads to the docs, and the docs link Swagger UI and the admin", async () => {
    const res = await h.http.get("/");
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/docs");
    const docs = await h.http.get("/docs");
    expect(docs.text).toContain('href="/docs/swagger/"');
    expect(docs.text).toContain('href="/admin/"');
  });

  it("an activation link opened in a browser answers an HTML page; API clients still get JSON", async () => {
    const login = uniqueLogin("browser");
    const registered = await h.http.post("/users").send({ login, password: "password-123" });
    const path = new URL(registered.body.activationUrl as string).pathname;
    const page = await h.http.get(path).set("Accept", BROWSER);
    expect(page.status).toBe(200);
    expect(page.type).toBe("text/html");
    expect(page.text).toMatch(/Account activated/);
    expect(page.text).toContain(login);
    const again = await h.http.get(path).set("Accept", BROWSER);
    expect(again.status).toBe(404);
    expect(again.type).toBe("text/html");
    expect(again.text).toMatch(/invalid or has already been used/);
    const json = await h.http.get(path).set("Accept", "*/*");
    expect(json.status).toBe(404);
    expect(json.body.appCode).toBe("ACTIVATION_LINK_INVALID");
    const script = await h.http.get("/users/activate/%3Cscript%3E").set("Accept", BROWSER);
    expect(script.text).not.toContain("<script>");
  });

  it("logs static files of the docs at debug, not info", async () => {
    lines.length = 0;
    await h.http.get("/docs/redoc-init.js");
    await h.http.get("/docs");
    expect(lines.map((l) => l.req?.url)).toEqual(["/docs"]);
  });

  it("serves Redoc without its CDN logo: the docs ask no other host", async () => {
    const res = await h.http.get("/docs/redoc.standalone.js");
    expect(res.status).toBe(200);
    expect(res.text.length).toBeGreaterThan(100_000);
    expect(res.text).not.toContain("cdn.redoc.ly");
  });
});

it("the webhook simulator says so when the server is not there (no stack)", async () => {
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    execFile(
      process.execPath,
      [
        "--import",
        "tsx",
        "scripts/webhook.ts",
        "--user",
        "1",
        "--bill",
        "2",
        "--amount",
        "10",
        "--url",
        "http://127.0.0.1:9",
      ],
      { cwd: API_DIR },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    );
  });
  expect(code).toBe(1);
  expect(output).toMatch(/cannot reach http:\/\/127.0.0.1:9/);
  expect(output).not.toMatch(STACK);
});
