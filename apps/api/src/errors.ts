// One error type for the services, with domain codes. Each code maps to its HTTP status and tRPC code
// in ONE table (APP_ERRORS); services know nothing of HTTP. Every error body carries the code as
// `appCode` (REST: `{message, code, appCode, issues?}`; tRPC: `error.data.appCode`), so clients branch
// on it, never on message text. Database errors are classified once, here, by SQLSTATE and constraint.
import { TRPCError } from "@trpc/server";

type TRPCCode = TRPCError["code"];

/** appCode → [HTTP status, tRPC code]. tRPC's own code → status table agrees with every status here. */
export const APP_ERRORS = {
  // 400
  INVALID_INPUT: [400, "BAD_REQUEST"],
  MALFORMED_JSON: [400, "PARSE_ERROR"],
  INVALID_IDEMPOTENCY_KEY: [400, "BAD_REQUEST"],
  INVALID_AMOUNT: [400, "BAD_REQUEST"],
  ACTIVATION_LINK_EXPIRED: [400, "BAD_REQUEST"],
  CANNOT_DISABLE_SELF: [400, "BAD_REQUEST"],
  INVALID_DATE_RANGE: [400, "BAD_REQUEST"],
  WEBHOOK_URL_REFUSED: [400, "BAD_REQUEST"],
  // 401
  AUTH_REQUIRED: [401, "UNAUTHORIZED"],
  INVALID_CREDENTIALS: [401, "UNAUTHORIZED"],
  TOKEN_INVALID: [401, "UNAUTHORIZED"],
  TOKEN_EXPIRED: [401, "UNAUTHORIZED"],
  TOKEN_REVOKED: [401, "UNAUTHORIZED"],
  // 402
  INSUFFICIENT_FUNDS: [402, "PAYMENT_REQUIRED"],
  // 403
  NOT_ACTIVATED: [403, "FORBIDDEN"],
  ACCOUNT_DISABLED: [403, "FORBIDDEN"],
  ADMIN_ONLY: [403, "FORBIDDEN"],
  INVALID_SIGNATURE: [403, "FORBIDDEN"],
  INSUFFICIENT_SCOPE: [403, "FORBIDDEN"],
  WRONG_PASSWORD: [403, "FORBIDDEN"],
  // 404
  NOT_FOUND: [404, "NOT_FOUND"],
  PRODUCT_NOT_FOUND: [404, "NOT_FOUND"],
  ACCOUNT_NOT_FOUND: [404, "NOT_FOUND"],
  USER_NOT_FOUND: [404, "NOT_FOUND"],
  UNKNOWN_USER: [404, "NOT_FOUND"],
  ACTIVATION_LINK_INVALID: [404, "NOT_FOUND"],
  TRANSACTION_NOT_FOUND: [404, "NOT_FOUND"],
  WEBHOOK_NOT_FOUND: [404, "NOT_FOUND"],
  API_KEY_NOT_FOUND: [404, "NOT_FOUND"],
  EVENT_NOT_FOUND: [404, "NOT_FOUND"],
  WEBHOOK_ENDPOINT_NOT_FOUND: [404, "NOT_FOUND"],
  WEBHOOK_DELIVERY_NOT_FOUND: [404, "NOT_FOUND"],
  // 405
  METHOD_NOT_ALLOWED: [405, "METHOD_NOT_SUPPORTED"],
  // 409
  LOGIN_TAKEN: [409, "CONFLICT"],
  IDEMPOTENCY_KEY_REUSED: [409, "CONFLICT"],
  IDEMPOTENCY_KEY_IN_USE: [409, "CONFLICT"],
  ACCOUNT_CHANGED_RETRY: [409, "CONFLICT"],
  BILL_OWNED_BY_OTHER_USER: [409, "CONFLICT"],
  TRANSACTION_ID_REUSED: [409, "CONFLICT"],
  NOT_A_PURCHASE: [409, "CONFLICT"],
  REFUND_EXCEEDS_PURCHASE: [409, "CONFLICT"],
  NOT_PENDING: [409, "CONFLICT"],
  HOLD_EXPIRED: [409, "CONFLICT"],
  HOLD_NOT_AUTHORIZED: [409, "CONFLICT"],
  CAPTURE_EXCEEDS_HOLD: [409, "CONFLICT"],
  // 413, 415
  PAYLOAD_TOO_LARGE: [413, "PAYLOAD_TOO_LARGE"],
  UNSUPPORTED_MEDIA_TYPE: [415, "UNSUPPORTED_MEDIA_TYPE"],
  // 429
  RATE_LIMITED: [429, "TOO_MANY_REQUESTS"],
  // 5xx
  INTERNAL_ERROR: [500, "INTERNAL_SERVER_ERROR"],
  DATABASE_UNAVAILABLE: [503, "SERVICE_UNAVAILABLE"],
  SERVER_BUSY: [503, "SERVICE_UNAVAILABLE"],
  SPA_NOT_BUILT: [503, "SERVICE_UNAVAILABLE"],
} as const satisfies Record<string, readonly [number, TRPCCode]>;

export type AppErrorCode = keyof typeof APP_ERRORS;

export class AppError extends Error {
  /** Response headers that belong to this error (e.g. Retry-After). */
  readonly headers: Record<string, string>;

  constructor(
    readonly code: AppErrorCode,
    message: string,
    options: { cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.headers = options.headers ?? {};
  }

  get status(): number {
    return APP_ERRORS[this.code][0];
  }

  /** The JSON body of this error outside tRPC, in the REST shape: `{message, code, appCode}`. */
  toJSON() {
    return { message: this.message, code: APP_ERRORS[this.code][1], appCode: this.code };
  }
}

/** The appCode of an error tRPC or trpc-to-openapi raised themselves (no AppError behind it). */
const DEFAULT_APP_CODE: Partial<Record<TRPCCode, AppErrorCode>> = {
  PARSE_ERROR: "MALFORMED_JSON",
  BAD_REQUEST: "INVALID_INPUT",
  UNAUTHORIZED: "AUTH_REQUIRED",
  FORBIDDEN: "ADMIN_ONLY",
  NOT_FOUND: "NOT_FOUND",
  METHOD_NOT_SUPPORTED: "METHOD_NOT_ALLOWED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  TOO_MANY_REQUESTS: "RATE_LIMITED",
  SERVICE_UNAVAILABLE: "DATABASE_UNAVAILABLE",
};

/** The appCode for a TRPCError: its AppError's code, else what its tRPC code means. */
export function appCodeOf(error: TRPCError): AppErrorCode {
  if (error.cause instanceof AppError) return error.cause.code;
  return DEFAULT_APP_CODE[error.code] ?? "INTERNAL_ERROR";
}

/**
 * Service errors → TRPCErrors (the AppError kept as `cause`); an unreachable database → 503
 * DATABASE_UNAVAILABLE with Retry-After. Anything else is returned unchanged (a 500).
 */
export function toTRPCError(error: unknown): unknown {
  const app = error instanceof AppError ? error : databaseUnavailable(error);
  if (!app) return error;
  return new TRPCError({ code: APP_ERRORS[app.code][1], message: app.message, cause: app });
}

function databaseUnavailable(error: unknown): AppError | undefined {
  if (classifyDbError(error)?.kind !== "unavailable") return undefined;
  return new AppError("DATABASE_UNAVAILABLE", "Database unavailable: try again shortly", {
    cause: error,
    headers: { "Retry-After": "1" },
  });
}

export interface DbErrorClass {
  kind: "unique" | "check" | "foreign_key" | "unavailable" | "other";
  /** The SQLSTATE, when the error came from PostgreSQL. */
  sqlState?: string;
  /** The violated constraint or index, when PostgreSQL named it. */
  constraint?: string;
}

/** Node's socket errors and Prisma's connection codes: the database is out of reach. */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "P1001",
  "P1002",
  "P1017",
  "P2024",
]);
/** SQLSTATEs of a server that is going away or refusing connections (class 08: connection exception). */
const UNAVAILABLE_STATES = /^(08...|57P0[1-3]|53300)$/;
/**
 * The pg driver reports a dropped connection with a plain Error and no code: these messages are its own
 * constants. (A handle this process closed itself, e.g. "PGlite is closed", is a bug: a 500.)
 */
const DRIVER_CONNECTION_MESSAGES = /^(Connection terminated|Client has encountered a connection error)/;

/**
 * What a database error is, from the pg / PGlite error (`code` = SQLSTATE, `constraint`) or Prisma's
 * (`meta.driverAdapterError.cause.originalCode`, the constraint's index). Walks the `cause` chain, so
 * an error wrapped by tRPC or by an AppError is classified too. Undefined for anything else.
 */
export function classifyDbError(error: unknown): DbErrorClass | undefined {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === "object" && depth < 6; depth++) {
    const e = current as {
      code?: unknown;
      constraint?: unknown;
      message?: unknown;
      meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; constraint?: { index?: unknown } } } };
      cause?: unknown;
    };
    const adapter = e.meta?.driverAdapterError?.cause;
    const sqlState =
      typeof adapter?.originalCode === "string"
        ? adapter.originalCode
        : typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)
          ? e.code
          : undefined;
    const constraint =
      typeof e.constraint === "string"
        ? e.constraint
        : typeof adapter?.constraint?.index === "string"
          ? adapter.constraint.index
          : undefined;
    if (sqlState) {
      const kind = UNAVAILABLE_STATES.test(sqlState)
        ? "unavailable"
        : sqlState === "23505"
          ? "unique"
          : sqlState === "23514"
            ? "check"
            : sqlState === "23503"
              ? "foreign_key"
              : "other";
      return { kind, sqlState, ...(constraint ? { constraint } : {}) };
    }
    if (typeof e.code === "string" && UNREACHABLE_CODES.has(e.code)) return { kind: "unavailable" };
    if (typeof e.message === "string" && DRIVER_CONNECTION_MESSAGES.test(e.message)) return { kind: "unavailable" };
    current = e.cause;
  }
  return undefined;
}

/** A unique violation (of `constraint`, when given). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const c = classifyDbError(error);
  return c?.kind === "unique" && (constraint === undefined || c.constraint === constraint);
}
