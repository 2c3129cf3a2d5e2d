// The document's post-processing (src/http/openapi.ts) and the validator every suite's REST answers go
// through (test/support/openapi-validator.ts): what a client reading /openapi.json is promised.
/* eslint-disable @typescript-eslint/no-explicit-any -- reads a JSON document */
import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { APP_ERRORS } from "../src/errors.ts";
import { createOpenApiDocument, restProcedures } from "../src/http/openapi.ts";
import { OpenApiValidator, validatingAgent } from "./support/openapi-validator.ts";

const document = JSON.parse(JSON.stringify(createOpenApiDocument({ publicUrl: "http://shop.test" })));
const validator = new OpenApiValidator(document);
type Op = { description?: string; responses: Record<string, any>; requestBody?: any; parameters?: any[] };
const op = (path: string, method: string): Op => document.paths[path][method];
const appCodes = (path: string, method: string, status: number): string[] =>
  op(path, method).responses[status].content["application/json"].schema.properties.appCode.enum;
const json = (status: number, body: unknown) => ({
  status,
  type: "application/json",
  text: JSON.stringify(body),
  body,
});

describe("the OpenAPI document", () => {
  it("documents every operation with a description, and /health and /ready", () => {
    expect(document.info.contact).toBeDefined();
    for (const [path, operations] of Object.entries<Record<string, Op>>(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.description, `${method} ${path}`).toBeTruthy();
      }
    }
    expect(Object.keys(op("/health", "get").responses)).toEqual(["200"]);
    expect(Object.keys(op("/ready", "get").responses)).toEqual(["200", "503"]);
  });

  it("gives each operation its own errors, with exactly the appCodes it can answer, by status", () => {
    expect(appCodes("/users", "post", 409)).toEqual(["LOGIN_TAKEN"]);
    expect(appCodes("/auth", "post", 401)).toEqual(["INVALID_CREDENTIALS"]);
    expect(appCodes("/products", "get", 401)).toEqual([
      "AUTH_REQUIRED",
      "TOKEN_INVALID",
      "TOKEN_EXPIRED",
      "TOKEN_REVOKED",
    ]);
    expect(appCodes("/users/{id}", "get", 403)).toContain("ADMIN_ONLY");
    expect(appCodes("/payment/webhook", "post", 409)).toEqual(["BILL_OWNED_BY_OTHER_USER", "TRANSACTION_ID_REUSED"]);
    expect(op("/payment/webhook", "post").responses[401]).toBeUndefined();
    expect(op("/products", "get").responses[409]).toBeUndefined();
    for (const { path, method } of restProcedures()) {
      const responses = op(path, method).responses;
      expect(responses[503], `${method} ${path}`).toBeDefined();
      expect(responses[500], `${method} ${path}`).toBeDefined();
      for (const [status, response] of Object.entries<any>(responses)) {
        if (Number(status) < 400) continue;
        for (const code of response.content["application/json"].schema.properties.appCode.enum) {
          expect(APP_ERRORS[code as keyof typeof APP_ERRORS][0], `${method} ${path} ${code}`).toBe(Number(status));
        }
      }
      if (op(path, method).requestBody) {
        expect(responses[413], `${method} ${path}`).toBeDefined();
        expect(responses[415], `${method} ${path}`).toBeDefined();
      }
    }
    expect(op("/auth", "post").responses[429].headers["Retry-After"]).toBeDefined();
  });

  it("states the rules the server enforces on inputs", () => {
    const limit = op("/products", "get").parameters!.find((p) => p.name === "limit").schema;
    expect(limit).toMatchObject({ type: "integer", minimum: 1, maximum: 100 });
    const offset = op("/products", "get").parameters!.find((p) => p.name === "offset").schema;
    expect(offset).toMatchObject({ type: "integer", minimum: 0 });
    const body = (path: string, method: string) => op(path, method).requestBody.content["application/json"].schema;
    expect(body("/products/{id}", "put").minProperties).toBe(1);
    const price = body("/products", "post").properties.price;
    expect(price.anyOf[0]).toMatchObject({ type: "number", exclusiveMinimum: 0, maximum: 1_000_000_000 });
    const pattern = new RegExp(price.anyOf[1].pattern);
    for (const ok of ["0.01", "0.5", "12.35", "999999999.99", "1000000000", "1000000000.00"])
      expect(ok).toMatch(pattern);
    for (const bad of ["0", "0.00", "-1", "1.234", "1000000000.01", "01", "1e3", ""]) expect(bad).not.toMatch(pattern);
    const billId = body("/payment/webhook", "post").properties.bill_id;
    expect(billId.anyOf[0]).toMatchObject({ type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
  });

  it("describes the error body the server sends, zod issues with their own properties included", () => {
    const issue = {
      code: "too_small",
      origin: "number",
      minimum: 1,
      inclusive: true,
      path: ["limit"],
      message: "Too small",
    };
    const body = { message: "Invalid input", code: "BAD_REQUEST", appCode: "INVALID_INPUT", issues: [issue] };
    expect(validator.check("GET", "/products?limit=0", json(400, body))).toEqual([]);
  });
});

describe("the validator", () => {
  it("refuses an undeclared status, an undeclared appCode and a body off its schema", () => {
    expect(
      validator.check("GET", "/products", json(409, { message: "x", code: "CONFLICT", appCode: "LOGIN_TAKEN" }))[0],
    ).toMatch(/status not declared/);
    expect(
      validator.check(
        "POST",
        "/users",
        json(409, { message: "x", code: "CONFLICT", appCode: "TRANSACTION_ID_REUSED" }),
      ),
    ).not.toEqual([]);
    expect(validator.check("GET", "/health", json(200, { status: "ok", extra: 1 }))).not.toEqual([]);
    expect(validator.check("GET", "/health", json(200, { status: "ok" }))).toEqual([]);
    expect(validator.check("GET", "/users/me", json(200, { id: "not-a-uuid" }))).not.toEqual([]);
  });

  it("leaves requests that are no operation of the document alone", () => {
    expect(validator.check("GET", "/trpc/products.list", json(500, {}))).toEqual([]);
    expect(validator.check("PATCH", "/products", json(404, {}))).toEqual([]);
  });
});

it("the harness's agent fails a request whose answer breaks the document, like a failed expect", async () => {
  const app = express();
  app.get("/health", (_req, res) => {
    res.json({ status: "fine" });
  });
  app.get("/ready", (_req, res) => {
    res.status(418).json({});
  });
  const http = validatingAgent(request(app), () => validator);
  await expect(http.get("/health")).rejects.toThrow(/does not match \/openapi.json[\s\S]*status/);
  await expect(http.get("/ready").expect(418)).rejects.toThrow(/418: status not declared/);
});
