// The HTTP edges: body parsing, content types, unknown routes, health, the documentation pages, and
// a sweep over the OpenAPI document checking that every protected operation refuses strangers.
import { randomUUID } from "node:crypto";
import type { Response } from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Harness,
  type TestUser,
  bearer,
  createHarness,
  createUser,
  uniqueLogin,
  expectError,
  useHarness,
} from "./harness.ts";

type Operation = { security?: unknown[]; tags?: string[] };
type OpenApiDoc = { openapi: string; info: { title: string }; paths: Record<string, Record<string, Operation>> };

const EXPECTED_OPERATIONS = [
  "POST /users",
  "GET /users/activate/{token}",
  "POST /auth",
  "GET /auth/session",
  "POST /auth/sign-out",
  "POST /auth/password",
  "GET /users/me",
  "GET /users/me/transactions",
  "POST /products/buy",
  "POST /payment/webhook",
  "GET /products",
  "POST /products",
  "GET /products/{id}",
  "PUT /products/{id}",
  "DELETE /products/{id}",
  "GET /users",
  "GET /users/{id}",
  "PUT /users/{id}",
  "GET /users/{id}/transactions",
  // The operator's money (issue #11)
  "POST /users/{id}/activation-link",
  "POST /products/{id}/restore",
  "GET /transactions",
  "POST /transactions/{id}/refund",
  "POST /accounts/{id}/adjustments",
  "GET /accounts/{id}/authorizations",
  "GET /webhooks",
  "GET /webhooks/{id}",
  "GET /audit",
  "GET /stats",
  "GET /reconciliation",
  // API keys, two-phase purchases, statements (issue 21)
  "POST /api-keys",
  "GET /api-keys",
  "DELETE /api-keys/{id}",
  "POST /transactions/{id}/capture",
  "POST /transactions/{id}/void",
  "GET /users/me/statement",
  "GET /accounts/{id}/statement",
  "GET /accounts/{id}/balance",
  // Events out (issue #20)
  "GET /events",
  "GET /events/{id}",
  "POST /webhook-endpoints",
  "GET /webhook-endpoints",
  "GET /webhook-endpoints/{id}",
  "PUT /webhook-endpoints/{id}",
  "DELETE /webhook-endpoints/{id}",
  "POST /webhook-endpoints/{id}/rotate-secret",
  "POST /webhook-endpoints/{id}/test",
  "GET /webhook-endpoints/{id}/deliveries",
  "POST /webhook-deliveries/{id}/retry",
  "GET /transactions.csv",
  "GET /health",
  "GET /ready",
];

function operations(doc: OpenApiDoc) {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
}

describe("HTTP edges", () => {
  const h = useHarness();
  let user: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    user = await createUser(h);
    admin = await createUser(h, { isAdmin: true });
  });

  function send(method: string, path: string, token?: string) {
    const m = method.toLowerCase() as "get" | "post" | "put" | "delete";
    let req = h.http[m](path);
    if (token) req = req.set(bearer(token));
    return m === "post" || m === "put" ? req.send({}) : req;
  }

  describe("request bodies", () => {
    it.each([
      ["a truncated object", '{"login": "alice", '],
      ["single quotes", "{'login': 'alice'}"],
      ["a trailing comma", '{"login":"alice",}'],
      ["bare words", "login=alice"],
      ["two documents", '{"a":1}{"b":2}'],
    ])("answers malformed JSON (%s) with 400 {message, code}", async (_label, body) => {
      const res = await h.http.post("/auth").set("Content-Type", "application/json").send(body);
      expectError(res, 400, "PARSE_ERROR");
    });

    it("answers deeply nested JSON with 400, not a crash", async () => {
      const body = `{"login":${"[".repeat(40_000)}${"]".repeat(40_000)},"password":"x"}`;
      const res = await h.http.post("/auth").set("Content-Type", "application/json").send(body);
      expect([400, 413]).toContain(res.status);
      expectError(res, res.status);
      expect((await h.http.get("/health")).status).toBe(200);
    });

    it.each([
      ["null", "null"],
      ["an array", "[]"],
      ["a string", '"alice"'],
      ["a number", "42"],
      ["an empty object", "{}"],
    ])("answers a JSON body that is %s with 400 validation", async (_label, body) => {
      const res = await h.http.post("/auth").set("Content-Type", "application/json").send(body);
      expectError(res, 400, "BAD_REQUEST");
    });

    it("does not let __proto__ or constructor keys smuggle fields", async () => {
      const login = uniqueLogin("proto");
      const body = `{"login":"${login}","password":"password-123","__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}`;
      const res = await h.http.post("/users").set("Content-Type", "application/json").send(body);
      expect(res.status, res.text).toBe(201);
      const row = await h.db.prisma.user.findUniqueOrThrow({ where: { id: res.body.id } });
      expect(row.isAdmin).toBe(false);
      expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    });

    it("answers a body over 100 kB with 413 JSON, on REST and on /trpc", async () => {
      const big = JSON.stringify({ login: "x", password: "y".repeat(110 * 1024) });
      expectError(
        await h.http.post("/auth").set("Content-Type", "application/json").send(big),
        413,
        "PAYLOAD_TOO_LARGE",
      );
      expectError(
        await h.http.post("/trpc/auth.login").set("Content-Type", "application/json").send(big),
        413,
        "PAYLOAD_TOO_LARGE",
      );
      // Just under the limit is parsed (and then refused by validation, not by size).
      const under = JSON.stringify({ login: "x", password: "y".repeat(90 * 1024) });
      expectError(await h.http.post("/auth").set("Content-Type", "application/json").send(under), 400, "BAD_REQUEST");
    });

    it.each([
      ["text/plain", '{"login":"a","password":"b"}'],
      ["application/x-www-form-urlencoded", "login=a&password=b"],
      ["application/xml", "<login>a</login>"],
      ["multipart/form-data; boundary=x", "--x\r\n\r\n--x--"],
    ])("answers a POST with Content-Type %s with 415 JSON", async (type, body) => {
      const res = await h.http.post("/auth").set("Content-Type", type).send(body);
      expectError(res, 415, "UNSUPPORTED_MEDIA_TYPE");
    });

    it("answers a PUT with a text/plain body with 415 JSON", async () => {
      const res = await h.http
        .put(`/products/${randomUUID()}`)
        .set(bearer(admin))
        .set("Content-Type", "text/plain")
        .send('{"title":"x"}');
      expectError(res, 415, "UNSUPPORTED_MEDIA_TYPE");
    });

    it("ignores a leading byte order mark, as RFC 8259 allows", async () => {
      const res = await h.http
        .post("/auth")
        .set("Content-Type", "application/json")
        .send(`\uFEFF${JSON.stringify({ login: user.login, password: user.password })}`);
      expect(res.status, res.text).toBe(200);
    });

    it("accepts application/json with a charset", async () => {
      const res = await h.http
        .post("/auth")
        .set("Content-Type", "application/json; charset=utf-8")
        .send(JSON.stringify({ login: user.login, password: user.password }));
      expect(res.status).toBe(200);
    });
  });

  describe("routes", () => {
    it.each([
      ["GET", "/nope"],
      ["POST", "/nope"],
      ["GET", "/products/buy/extra/segments"],
      ["PATCH", "/products"],
      ["DELETE", "/users"],
    ])("answers unknown route %s %s with 404 JSON", async (method, path) => {
      const m = method.toLowerCase() as "get" | "post" | "patch" | "delete";
      const res = await h.http[m](path).set(bearer(admin));
      expectError(res, 404, "NOT_FOUND");
    });

    it("GET /health → 200", async () => {
      const res = await h.http.get("/health");
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: "ok" });
    });

    it("GET /ready → 200 with the database engine", async () => {
      const res = await h.http.get("/ready");
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: "ready", database: h.db.engine });
    });

    it("echoes a sane X-Request-Id and replaces a hostile one", async () => {
      const ok = await h.http.get("/health").set("X-Request-Id", "abc-123");
      expect(ok.headers["x-request-id"]).toBe("abc-123");
      const bad = await h.http.get("/health").set("X-Request-Id", "a b\tc<script>");
      expect(bad.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("does not announce Express", async () => {
      const res = await h.http.get("/health");
      expect(res.headers["x-powered-by"]).toBeUndefined();
    });
  });

  describe("documentation", () => {
    let doc: OpenApiDoc;
    beforeAll(async () => {
      const res = await h.http.get("/openapi.json");
      expect(res.status).toBe(200);
      expect(res.type).toBe("application/json");
      doc = res.body as OpenApiDoc;
    });

    it("GET /openapi.json is an OpenAPI 3 document with every operation", () => {
      expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
      expect(doc.info.title).toEqual(expect.any(String));
      const listed = operations(doc).map((o) => `${o.method} ${o.path}`);
      expect([...listed].sort()).toEqual([...EXPECTED_OPERATIONS].sort());
    });

    it("marks exactly the public operations as unauthenticated", () => {
      const open = operations(doc)
        .filter((o) => !o.op.security || o.op.security.length === 0)
        .map((o) => `${o.method} ${o.path}`);
      expect(open.sort()).toEqual([
        "GET /health",
        "GET /ready",
        "GET /users/activate/{token}",
        "POST /auth",
        "POST /payment/webhook",
        "POST /users",
      ]);
    });

    it("GET /docs is HTML that loads only same-origin scripts, and they are served", async () => {
      const res = await h.http.get("/docs");
      expect(res.status).toBe(200);
      expect(res.type).toBe("text/html");
      const scripts = [...res.text.matchAll(/<script\b[^>]*\bsrc\s*=\s*["']?([^"' >]+)/gi)].map((m) => m[1]!);
      expect(scripts.length).toBeGreaterThan(0);
      for (const src of scripts) {
        expect(src, src).toMatch(/^\/(?!\/)/);
        const js = await h.http.get(src);
        expect(js.status, src).toBe(200);
        expect(js.type, src).toMatch(/javascript/);
      }
      // Nothing else from another host either: styles, fonts, images.
      expect(res.text).not.toMatch(/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    });

    it("GET /docs/redoc.standalone.js is JavaScript", async () => {
      const res = await h.http.get("/docs/redoc.standalone.js");
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/javascript/);
      expect(res.text.length).toBeGreaterThan(100_000);
    });

    it("GET /docs/swagger/ is HTML whose assets are served from this origin", async () => {
      const res = await h.http.get("/docs/swagger/");
      expect(res.status).toBe(200);
      expect(res.type).toBe("text/html");
      const refs = [...res.text.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*["']([^"']+)/gi)].map(
        (m) => m[1]!,
      );
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) {
        expect(ref, ref).not.toMatch(/^(?:https?:)?\/\//i);
        const asset = await h.http.get(new URL(ref, "http://shop.test/docs/swagger/").pathname);
        expect(asset.status, ref).toBe(200);
      }
      const init = await h.http.get("/docs/swagger/swagger-ui-init.js");
      expect(init.text).toContain("/openapi.json");
      expect(init.text).not.toMatch(/petstore/i);
    });

    it("GET /docs/swagger redirects to /docs/swagger/, and swagger-ui-dist's demo page is not served", async () => {
      const bare = await h.http.get("/docs/swagger");
      expect(bare.status).toBe(301);
      expect(bare.headers.location).toBe("/docs/swagger/");
      const demo = await h.http.get("/docs/swagger/index.html");
      expect(demo.status).toBe(301);
      expect(demo.headers.location).toBe("/docs/swagger/");
      expectError(await h.http.get("/docs/swagger/swagger-initializer.js"), 404, "NOT_FOUND");
    });

    it("every operation with security refuses an anonymous call with 401", async () => {
      const secured = operations(doc).filter((o) => o.op.security && o.op.security.length > 0);
      expect(secured.length).toBeGreaterThanOrEqual(12);
      for (const { method, path } of secured) {
        const concrete = path.replace(/\{(id|token)\}/g, () => randomUUID());
        const res = await send(method, concrete);
        expect(res.status, `${method} ${path}: ${res.text}`).toBe(401);
        expectError(res, 401, "UNAUTHORIZED");
        // A token that is not a JWT, and a JWT of nobody, are no better than none.
        expectError(await send(method, concrete, "garbage"), 401, "UNAUTHORIZED");
      }
    });

    it("every admin operation refuses a signed-in non-admin with 403", async () => {
      const adminOps = operations(doc).filter((o) => o.op.tags?.includes("admin"));
      expect(adminOps.length).toBeGreaterThanOrEqual(8);
      for (const { method, path } of adminOps) {
        const concrete = path.replace(/\{(id|token)\}/g, () => randomUUID());
        const res = await send(method, concrete, user.token);
        expect(res.status, `${method} ${path}: ${res.text}`).toBe(403);
        expectError(res, 403, "FORBIDDEN");
        // Admin-tagged operations are all protected.
        expect(doc.paths[path]![method.toLowerCase()]!.security).toBeTruthy();
      }
    });

    it("every admin operation lets an admin through (no 401/403)", async () => {
      const adminOps = operations(doc).filter((o) => o.op.tags?.includes("admin"));
      for (const { method, path } of adminOps) {
        const concrete = path.replace(/\{(id|token)\}/g, () => randomUUID());
        const res = await send(method, concrete, admin.token);
        expect([200, 400, 404], `${method} ${path}: ${res.text}`).toContain(res.status);
        if (res.status >= 400) expectError(res, res.status);
      }
    });
  });

  describe("/trpc", () => {
    it("serves the same procedures", async () => {
      const res = await h.http.get("/trpc/me.get").set(bearer(user));
      expect(res.status).toBe(200);
      expect(res.body.result.data.login).toBe(user.login);
    });

    // tRPC's own error envelope ({error: {message, code, data}}) carries a stack outside production by
    // design (see trpc.ts); its shape in production is checked below.
  });
});

describe("HTTP edges in production mode", () => {
  const h = useHarness({ config: { nodeEnv: "production" } });

  /** tRPC's envelope: {error: {message, code (JSON-RPC number), data: {code, httpStatus}}}, no stack. */
  function expectTrpcError(res: Response, status: number, code: string) {
    expect(res.status, res.text.slice(0, 300)).toBe(status);
    expect(res.type).toBe("application/json");
    expect(typeof res.body.error.message).toBe("string");
    expect(res.body.error.data).toMatchObject({ code, httpStatus: status });
    expect(res.text).not.toMatch(/"stack"/);
    expect(res.text).not.toMatch(/node_modules|\.ts:\d+:\d+/);
  }

  it("tRPC errors carry no stack in production", async () => {
    expectTrpcError(await h.http.get("/trpc/me.get"), 401, "UNAUTHORIZED");
    const invalid = await h.http
      .post("/trpc/auth.login")
      .set("Content-Type", "application/json")
      .send(JSON.stringify({ login: "" }));
    expectTrpcError(invalid, 400, "BAD_REQUEST");
    expect(Array.isArray(invalid.body.error.data.issues)).toBe(true);
    const malformed = await h.http.post("/trpc/auth.login").set("Content-Type", "application/json").send("{oops");
    expectTrpcError(malformed, 400, "BAD_REQUEST");
    expectTrpcError(await h.http.get("/trpc/nope.nothing"), 404, "NOT_FOUND");
  });

  it("REST errors are the same compact shape", async () => {
    expectError(await h.http.get("/users/me"), 401, "UNAUTHORIZED");
    expectError(await h.http.get("/nope"), 404, "NOT_FOUND");
  });
});

describe("HTTP edges when the database is gone", () => {
  let h: Harness;
  let user: TestUser;
  beforeAll(async () => {
    h = await createHarness();
    user = await createUser(h);
    await h.close();
  });

  it("answers /ready with 503 JSON and /health still with 200", async () => {
    const ready = await h.http.get("/ready");
    expectError(ready, 503, "SERVICE_UNAVAILABLE");
    expect((await h.http.get("/health")).status).toBe(200);
  });

  it("answers a failing procedure with a generic 500: no cause, no stack, no SQL", async () => {
    for (const res of [
      await h.http.get("/users/me").set(bearer(user)),
      await h.http.post("/auth").send({ login: user.login, password: user.password }),
    ]) {
      expectError(res, 500, "INTERNAL_SERVER_ERROR");
      expect(res.body.message).toBe("Internal server error");
      expect(res.text).not.toMatch(/prisma|select|users|pglite|ECONNREFUSED|closed/i);
    }
  });
});
