// One error type for the services. Each code maps to an HTTP status in one place (tRPC's own table,
// which trpc-to-openapi follows): services know nothing of HTTP.
import { TRPCError } from "@trpc/server";

export type AppErrorCode =
  | "BAD_REQUEST" // 400
  | "UNAUTHORIZED" // 401
  | "PAYMENT_REQUIRED" // 402
  | "FORBIDDEN" // 403
  | "NOT_FOUND" // 404
  | "CONFLICT" // 409
  | "TOO_MANY_REQUESTS"; // 429

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AppError";
  }
}

export function toTRPCError(error: unknown): unknown {
  if (error instanceof AppError) return new TRPCError({ code: error.code, message: error.message, cause: error });
  if (isDatabaseUnavailable(error)) {
    return new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: "Database unavailable: try again shortly",
      cause: error,
    });
  }
  return error;
}

/** The database could not be reached or dropped the connection: a 503 to retry, not a 500. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const text = describe(error);
  return (
    /\b(P1001|P1002|P1017|P2024|57P01|57P02|57P03|08000|08003|08006|ECONNREFUSED|ECONNRESET)\b/.test(text) ||
    /Connection terminated|connection (is )?closed|Can't reach database server|terminating connection/i.test(text)
  );
}

/** PostgreSQL's unique_violation, as it surfaces through Prisma and both driver adapters. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const text = describe(error);
  const unique = text.includes("P2002") || text.includes("23505") || /unique constraint/i.test(text);
  return unique && (constraint === undefined || text.includes(constraint));
}

function describe(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current !== "object") break;
    const e = current as { code?: unknown; message?: unknown; meta?: unknown; cause?: unknown };
    parts.push(String(e.code ?? ""), String(e.message ?? ""), JSON.stringify(e.meta ?? null));
    current = e.cause;
  }
  return parts.join(" ");
}
