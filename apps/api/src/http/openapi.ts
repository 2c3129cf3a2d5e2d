// The OpenAPI document: generated from the routers by trpc-to-openapi, then corrected here, in one
// step, where the generator cannot tell the truth:
//
// - errors: trpc-to-openapi keeps ONE error description per tRPC code for the whole document and an
//   issue schema of `{message}` only. Here each operation gets its own error responses, one per status,
//   built from the appCodes it can answer (its procedure's `meta.appErrors`, plus those every operation
//   of its kind can answer: bad input, bodies, authentication, limits, 5xx), in the body the server
//   really sends: `{message, code, appCode, issues?}` with zod's issues as they are.
// - statuses the generator does not know: 201 for creations (set at run time), 413/415 on bodies, 503.
// - what a schema cannot say in zod: PUT /products/{id} needs at least one field.
// - /health and /ready, and GET /transactions.csv (text/csv, the filters of GET /transactions), served
//   by Express, not by a procedure; info.contact.
//
// test/openapi.test.ts checks the result; every REST answer in the test suites is validated against it
// (test/support/openapi-validator.ts) and Spectral lints it (test/openapi-lint.test.ts).
import type { TApiKeyScope } from "@shop/contracts";
import { TRANSACTION_CSV_COLUMNS, ZTransactionFilterSchema } from "@shop/contracts";
import { generateOpenApiDocument, type OpenApiMeta } from "trpc-to-openapi";
import { APP_ERRORS, type AppErrorCode } from "../errors.ts";
import { appRouter } from "../routers/_app.ts";
import { keyScopeOf, type Meta } from "../trpc.ts";

export const API_VERSION = "1.0.0";

type Document = ReturnType<typeof generateOpenApiDocument>;
type Operation = NonNullable<NonNullable<Document["paths"]>[string]>["get"] & object;
type Method = "get" | "post" | "put" | "patch" | "delete";

/** What each appCode means, as the document says it. */
const APP_ERROR_TEXT: Partial<Record<AppErrorCode, string>> = {
  INVALID_INPUT: "The input breaks the schema (see issues)",
  MALFORMED_JSON: "The body is not JSON",
  INVALID_IDEMPOTENCY_KEY: "The Idempotency-Key header is not 1–200 printable ASCII characters",
  INVALID_AMOUNT: "The amount is not positive with at most two decimals, up to 1000000000.00",
  ACTIVATION_LINK_EXPIRED: "The activation link has expired",
  CANNOT_DISABLE_SELF: "Administrators cannot disable themselves",
  AUTH_REQUIRED: "No bearer token",
  INVALID_CREDENTIALS: "Wrong login or password",
  TOKEN_INVALID: "The token is not valid",
  TOKEN_EXPIRED: "The token has expired: sign in again",
  TOKEN_REVOKED: "The token was revoked (user disabled or changed: sign in again), or the API key was revoked",
  INSUFFICIENT_SCOPE: "The API key's scopes do not cover this operation (or API keys cannot call it)",
  API_KEY_NOT_FOUND: "No such API key",
  HOLD_EXPIRED: "The authorization expired (at its expiresAt): nothing is held any more",
  HOLD_NOT_AUTHORIZED: "The authorization was already captured or voided",
  CAPTURE_EXCEEDS_HOLD: "The capture is more than the authorized amount",
  INSUFFICIENT_FUNDS: "The account's balance does not cover the price",
  NOT_ACTIVATED: "The account is not activated yet",
  ACCOUNT_DISABLED: "The account is disabled",
  ADMIN_ONLY: "Administrators only",
  INVALID_SIGNATURE: "The signature does not match",
  WRONG_PASSWORD: "The current password is wrong (counted by the sign-in limits)",
  PRODUCT_NOT_FOUND: "No such product",
  ACCOUNT_NOT_FOUND: "No such account of this user",
  USER_NOT_FOUND: "No such user",
  UNKNOWN_USER: "user_id names no user",
  ACTIVATION_LINK_INVALID: "The activation link is unknown or already used",
  LOGIN_TAKEN: "The login is taken (case-insensitively)",
  IDEMPOTENCY_KEY_REUSED: "The Idempotency-Key was already used for another request (another fingerprint)",
  IDEMPOTENCY_KEY_IN_USE: "A request with this Idempotency-Key is still running: retry",
  ACCOUNT_CHANGED_RETRY: "The account changed while buying: retry",
  BILL_OWNED_BY_OTHER_USER: "bill_id belongs to another user",
  TRANSACTION_ID_REUSED: "transaction_id was used with another payload",
  PAYLOAD_TOO_LARGE: "The body is larger than 100 kB",
  UNSUPPORTED_MEDIA_TYPE: "The body is not application/json",
  RATE_LIMITED: "Too many requests: wait Retry-After seconds",
  INTERNAL_ERROR: "A bug: reported in the server's log",
  DATABASE_UNAVAILABLE: "The database is unreachable: retry after Retry-After seconds",
  SERVER_BUSY: "Too many passwords being hashed right now: retry after Retry-After seconds",
};

/** Every operation: bad input (also a NUL in the query string), a bug, an unreachable database. */
const EVERY_OPERATION: AppErrorCode[] = ["INVALID_INPUT", "INTERNAL_ERROR", "DATABASE_UNAVAILABLE"];
/** Operations with a JSON body. */
const WITH_BODY: AppErrorCode[] = ["MALFORMED_JSON", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"];
/** Operations that need a bearer token (meta.openapi.protect). */
const AUTHENTICATED: AppErrorCode[] = [
  "AUTH_REQUIRED",
  "TOKEN_INVALID",
  "TOKEN_EXPIRED",
  "TOKEN_REVOKED",
  "ACCOUNT_DISABLED",
  "INSUFFICIENT_SCOPE",
];
/** Operations of adminProcedure (meta.access = "admin"). */
const ADMIN: AppErrorCode[] = ["ADMIN_ONLY"];

/** Operations that take an Idempotency-Key (meta.idempotent: the money moves of money-move.ts). */
const IDEMPOTENT: AppErrorCode[] = ["INVALID_IDEMPOTENCY_KEY", "IDEMPOTENCY_KEY_REUSED", "IDEMPOTENCY_KEY_IN_USE"];

/** The header a replayed answer carries (meta.idempotent). */
const REPLAYED_HEADER = {
  description:
    "`true` when this answer repeats the first answer to this Idempotency-Key (the body says replayed: true)",
  schema: { type: "string", enum: ["true"] },
};

/** Operations that answer a browser (Accept: text/html) with a page (http/activation-page.ts), by status. */
const HTML_PAGES: [string, Method, number[]][] = [["/users/activate/{token}", "get", [200, 400, 404]]];

/** Operations that also answer text/csv (`?format=csv`, served by a plain Express route). */
const CSV_TOO: [string, Method][] = [
  ["/users/me/statement", "get"],
  ["/accounts/{id}/statement", "get"],
];

/** Body rules zod cannot carry into the document (a refine). */
const BODY_RULES: [string, Method, Record<string, unknown>][] = [["/products/{id}", "put", { minProperties: 1 }]];

const STATUS_TEXT: Record<number, string> = {
  400: "Bad request",
  401: "Not authenticated",
  402: "Payment required",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  429: "Too many requests",
  500: "Internal server error",
  503: "Service unavailable",
};

const ERROR_SCHEMA = {
  type: "object",
  description: "Every error answer: `appCode` is the domain code to branch on; `code` its tRPC code.",
  properties: {
    message: { type: "string", description: "For people; may change" },
    code: { type: "string", description: "The tRPC error code (BAD_REQUEST, UNAUTHORIZED, …)" },
    appCode: { type: "string", enum: Object.keys(APP_ERRORS), description: "The domain error code" },
    issues: {
      type: "array",
      description: "Input errors: zod issues (code, path, message and the code's own details)",
      items: { $ref: "#/components/schemas/Issue" },
    },
  },
  required: ["message", "code", "appCode"],
  additionalProperties: false,
};

const ISSUE_SCHEMA = {
  type: "object",
  description: "A zod 4 issue: besides these, properties of its code (minimum, maximum, expected, …).",
  properties: {
    code: { type: "string" },
    path: { type: "array", items: { type: ["string", "integer"] } },
    message: { type: "string" },
  },
  required: ["code", "path", "message"],
  additionalProperties: true,
};

/** trpc-to-openapi's name for the bearer scheme, kept: the access token. */
const BEARER_SCHEME = "Authorization";
/** One scheme per API-key scope (a role list on an http scheme is not a scope that tools understand). */
const API_KEY_SCHEME: Record<TApiKeyScope, string> = { read: "ApiKeyRead", write: "ApiKeyWrite", money: "ApiKeyMoney" };
const SECURITY_SCHEMES = {
  [BEARER_SCHEME]: {
    type: "http" as const,
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A person's access token from POST /auth: `Authorization: Bearer <token>`",
  },
  ...Object.fromEntries(
    (Object.entries(API_KEY_SCHEME) as [TApiKeyScope, string][]).map(([scope, name]) => [
      name,
      {
        type: "http" as const,
        scheme: "bearer",
        description:
          `An API key with the \`${scope}\` scope (POST /api-keys), sent like a token: ` +
          "`Authorization: Bearer shop_sk_…`. Operations that list no API-key scheme refuse keys (403 " +
          "INSUFFICIENT_SCOPE).",
      },
    ]),
  ),
};

const RETRY_AFTER = {
  description: "Seconds to wait before trying again",
  schema: { type: "integer", minimum: 0 },
};

/** The error response for one status, with exactly the appCodes this operation can answer with it. */
function errorResponse(status: number, codes: AppErrorCode[]) {
  const [first] = codes;
  const trpcCodes = [...new Set(codes.map((c) => APP_ERRORS[c][1]))];
  const retries = status === 429 || status === 503;
  return {
    description: [STATUS_TEXT[status] ?? "Error", ...codes.map((c) => `- \`${c}\`: ${APP_ERROR_TEXT[c] ?? c}`)].join(
      "\n",
    ),
    ...(retries ? { headers: { "Retry-After": RETRY_AFTER } } : {}),
    content: {
      "application/json": {
        schema: {
          allOf: [{ $ref: "#/components/schemas/Error" }],
          properties: {
            code: trpcCodes.length === 1 ? { const: trpcCodes[0] } : { enum: trpcCodes },
            appCode: { enum: codes },
          },
        },
        example: {
          message: APP_ERROR_TEXT[first!] ?? first,
          code: APP_ERRORS[first!][1],
          appCode: first,
        },
      },
    },
  };
}

interface ProcedureMeta {
  method: Method;
  path: string;
  protect: boolean;
  admin: boolean;
  created: boolean;
  createdWhen: string | undefined;
  idempotent: boolean;
  appErrors: AppErrorCode[];
  /** The API-key scope the operation needs; undefined: keys are refused. */
  keyScope: TApiKeyScope | undefined;
  /** meta.noContent: 204 without a body. */
  noContent?: boolean;
}

/** Each REST operation's facts, from its procedure's meta. */
export function restProcedures(): ProcedureMeta[] {
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { meta?: Meta; type: "query" | "mutation" | "subscription" } }
  >;
  return Object.values(procedures).flatMap(({ _def: { meta, type } }) => {
    const openapi: OpenApiMeta["openapi"] = meta?.openapi;
    if (!openapi) return [];
    return [
      {
        method: openapi.method.toLowerCase() as Method,
        path: openapi.path,
        protect: openapi.protect ?? true,
        admin: meta?.access === "admin",
        created: meta?.created === true,
        createdWhen: meta?.createdWhen,
        idempotent: meta?.idempotent === true,
        appErrors: meta?.appErrors ?? [],
        keyScope: keyScopeOf(meta, type),
        noContent: meta?.noContent === true,
      },
    ];
  });
}

/** The appCodes an operation can answer, grouped by HTTP status. */
export function appErrorsByStatus(procedure: ProcedureMeta, hasBody: boolean): Map<number, AppErrorCode[]> {
  const codes = new Set<AppErrorCode>([
    ...EVERY_OPERATION,
    ...(hasBody ? WITH_BODY : []),
    ...(procedure.protect ? AUTHENTICATED : []),
    ...(procedure.admin ? ADMIN : []),
    ...(procedure.idempotent ? IDEMPOTENT : []),
    ...procedure.appErrors,
  ]);
  const byStatus = new Map<number, AppErrorCode[]>();
  for (const code of Object.keys(APP_ERRORS) as AppErrorCode[]) {
    if (!codes.has(code)) continue;
    const status = APP_ERRORS[code][0];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

const HEALTH_PATHS = {
  "/health": {
    get: {
      operationId: "health",
      summary: "Liveness",
      description: "Answers 200 while the process serves HTTP; does not touch the database.",
      tags: ["ops"],
      responses: {
        200: {
          description: "Alive",
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: { status: { const: "ok" } },
                required: ["status"],
                additionalProperties: false,
              },
            },
          },
        },
      },
    },
  },
  "/ready": {
    get: {
      operationId: "ready",
      summary: "Readiness",
      description: "200 when the database answers; 503 (DATABASE_UNAVAILABLE) when it does not.",
      tags: ["ops"],
      responses: {
        200: {
          description: "Ready",
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: { status: { const: "ready" }, database: { enum: ["pglite", "postgres"] } },
                required: ["status", "database"],
                additionalProperties: false,
              },
            },
          },
        },
        503: {
          description: "The database is unreachable",
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  status: { const: "unavailable" },
                  message: { type: "string" },
                  code: { const: "SERVICE_UNAVAILABLE" },
                  appCode: { const: "DATABASE_UNAVAILABLE" },
                },
                required: ["status", "message", "code", "appCode"],
                additionalProperties: false,
              },
            },
          },
        },
      },
    },
  },
};

/**
 * GET /transactions.csv (http/transactions-csv.ts): a plain Express route, so the generator never sees
 * it. Its query parameters are the filter part of GET /transactions (ZTransactionFilterSchema), taken
 * from that generated operation so the two cannot drift; its errors are an admin operation's.
 */
function transactionsCsvPath(paths: NonNullable<Document["paths"]>) {
  const listing = paths["/transactions"]?.get as Operation | undefined;
  if (!listing) throw new Error("openapi: no operation for get /transactions");
  const filters = new Set(Object.keys(ZTransactionFilterSchema.shape));
  const parameters = (listing.parameters ?? []).filter((p) => "name" in p && filters.has((p as { name: string }).name));
  const responses: Record<string, unknown> = {
    200: {
      description:
        "The ledger rows of the filter, newest first, as CSV (RFC 4180, CRLF): a header row of these columns, " +
        `then one record per transaction: ${TRANSACTION_CSV_COLUMNS.join(", ")}. A text cell starting with =, +, -, @, ` +
        "tab or CR is prefixed with ' (no spreadsheet formula); a cell with a comma, a semicolon, a quote or a " +
        "line break is quoted.",
      headers: {
        "Content-Disposition": { schema: { type: "string", example: 'attachment; filename="transactions.csv"' } },
      },
      content: { "text/csv": { schema: { type: "string" } } },
    },
  };
  const facts: ProcedureMeta = {
    method: "get",
    path: "/transactions.csv",
    protect: true,
    admin: true,
    created: false,
    createdWhen: undefined,
    idempotent: false,
    appErrors: [],
    // An API key with `read` exports it too (http/transactions-csv.ts).
    keyScope: "read",
  };
  for (const [status, codes] of appErrorsByStatus(facts, false)) {
    responses[String(status)] = errorResponse(status, codes);
  }
  return {
    "/transactions.csv": {
      get: {
        operationId: "transactions-csv",
        summary: "Export the whole ledger as CSV",
        description: "The filters of GET /transactions (no paging: every row of the filter, streamed).",
        tags: ["admin"],
        security: listing.security,
        parameters,
        responses,
      },
    },
  };
}

/** The document as generated by trpc-to-openapi, corrected (see the top of this file). */
export function createOpenApiDocument(config: { publicUrl: string }): Document {
  const document = generateOpenApiDocument(appRouter, {
    title: "Shop & Wallet API",
    version: API_VERSION,
    baseUrl: config.publicUrl,
    description:
      "Users register, activate, sign in (JWT bearer), buy products with their accounts and see their history. " +
      "A payment provider credits accounts through a signed webhook. Administrators manage products and users. " +
      "Every operation is also available as a tRPC procedure at /trpc. Money is always a string with two decimals. " +
      "Every error answers `{message, code, appCode, issues?}`: branch on `appCode`.",
    tags: ["auth", "products", "wallet", "payments", "admin", "events", "webhook endpoints", "ops"],
  });
  return correctDocument(document, config);
}

/** The post-processing step, on a document trpc-to-openapi generated from appRouter. */
export function correctDocument(document: Document, config: { publicUrl: string }): Document {
  document.info.contact = { name: "Shop & Wallet API", url: `${config.publicUrl}/docs` };
  const schemas = (document.components ??= {}).schemas ?? {};
  // trpc-to-openapi's own error schemas (one per tRPC code) are replaced by the one real shape.
  for (const name of Object.keys(schemas)) if (name.startsWith("error.")) delete schemas[name];
  document.components.schemas = { ...schemas, Error: ERROR_SCHEMA, Issue: ISSUE_SCHEMA } as typeof schemas;
  document.components.securitySchemes = SECURITY_SCHEMES;
  const paths = (document.paths ??= {});

  for (const procedure of restProcedures()) {
    const operation = paths[procedure.path]?.[procedure.method] as Operation | undefined;
    if (!operation) throw new Error(`openapi: no operation for ${procedure.method} ${procedure.path}`);
    const responses = operation.responses as Record<string, unknown>;
    for (const status of Object.keys(responses)) if (Number(status) >= 400) delete responses[status];
    if (procedure.created) {
      responses["201"] = { ...(responses["200"] as object), description: "Created" };
      delete responses["200"];
    }
    if (procedure.createdWhen) {
      responses["201"] = { ...(responses["200"] as object), description: `Created: ${procedure.createdWhen}` };
    }
    if (procedure.idempotent) {
      for (const status of ["200", "201"]) {
        const success = responses[status] as { headers?: Record<string, unknown> } | undefined;
        if (success) success.headers = { ...success.headers, "Idempotent-Replayed": REPLAYED_HEADER };
      }
    }
    // Who may call it: an access token always; an API key with the scope the operation needs, if any.
    if (procedure.protect) {
      operation.security = [
        { [BEARER_SCHEME]: [] },
        ...(procedure.keyScope ? [{ [API_KEY_SCHEME[procedure.keyScope]]: [] }] : []),
      ];
    }
    if (procedure.noContent) {
      const success = responses["200"] as { description?: string } | undefined;
      delete responses["200"];
      responses["204"] = { description: success?.description ?? "No content" };
    }
    const hasBody = operation.requestBody !== undefined;
    for (const [status, codes] of appErrorsByStatus(procedure, hasBody)) {
      responses[String(status)] = errorResponse(status, codes);
    }
    for (const [path, method, statuses] of HTML_PAGES) {
      if (path !== procedure.path || method !== procedure.method) continue;
      for (const status of statuses) {
        const response = responses[String(status)] as { content: Record<string, unknown> } | undefined;
        if (response) response.content["text/html"] = { schema: { type: "string", description: "A page for people" } };
      }
    }
    if (CSV_TOO.some(([path, method]) => path === procedure.path && method === procedure.method)) {
      const ok = responses["200"] as { content: Record<string, unknown> };
      ok.content["text/csv"] = {
        schema: { type: "string", description: "format=csv: a header row, then one row per entry (RFC 4180)" },
      };
    }
    for (const [path, method, rules] of BODY_RULES) {
      if (path !== procedure.path || method !== procedure.method) continue;
      const body = operation.requestBody as { content: Record<string, { schema: object }> } | undefined;
      const media = body?.content["application/json"];
      if (media) media.schema = { ...media.schema, ...rules };
    }
  }
  Object.assign(paths, HEALTH_PATHS, transactionsCsvPath(paths));
  return document;
}
