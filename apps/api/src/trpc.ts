// tRPC core in three parts: the context, initTRPC with its error formatter, and the procedure builders.
import { initTRPC, TRPCError } from "@trpc/server";
import type { Db, PrismaClient } from "@shop/db";
import type { Logger } from "pino";
import type { OpenApiMeta } from "trpc-to-openapi";
import { ZodError } from "zod";
import { verifyAccessToken } from "./auth/tokens.ts";
import type { AppConfig } from "./env.ts";
import { toTRPCError } from "./errors.ts";
import type { LoginLimiter } from "./services/login-limiter.ts";
import { type AuthUser, loadAuthUser } from "./services/users.service.ts";
import { observeProcedure } from "./metrics/metrics.ts";

/** What every procedure may use. Plain dependencies: tests build it without HTTP. */
export interface ContextInner {
  db: Db;
  prisma: PrismaClient;
  config: AppConfig;
  log: Logger;
  /** The Authorization header as sent, if any. */
  authorization: string | undefined;
  /** The Idempotency-Key header as sent, if any. */
  idempotencyKey: string | undefined;
  /** The client's address (req.ip), for per-address limits. */
  clientIp: string;
  loginLimiter: LoginLimiter;
  /** Which door the call came through: REST errors get the compact `{message, code, issues}` body. */
  transport: "rest" | "trpc" | "internal";
  /** Set by a procedure to answer with another success status (201 for creations). */
  response: { status?: number; headers: Record<string, string> };
}

export function createContextInner(
  opts: Pick<ContextInner, "db" | "config" | "log" | "loginLimiter"> &
    Partial<Omit<ContextInner, "db" | "config" | "log" | "prisma" | "loginLimiter">>,
): ContextInner {
  return {
    prisma: opts.db.prisma,
    authorization: undefined,
    idempotencyKey: undefined,
    clientIp: "internal",
    transport: "internal",
    response: { headers: {} },
    ...opts,
  };
}

export type Context = ContextInner;

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    errorFormatter({ shape, error, ctx }) {
      const zod = error.cause instanceof ZodError ? error.cause : undefined;
      // 5xx messages are generic: the cause goes to the log, never to the client.
      const message = error.code === "INTERNAL_SERVER_ERROR" ? "Internal server error" : shape.message;
      const data = {
        ...shape.data,
        stack: ctx?.config.nodeEnv === "production" ? undefined : shape.data.stack,
        issues: zod?.issues,
      };
      // REST (trpc-to-openapi adds `code` and `issues`): the body is just {message, code, issues?}.
      // Typed as the tRPC shape so that clients' TRPCClientError["data"] keeps `issues`.
      return { ...shape, message, data: ctx?.transport === "trpc" ? data : (undefined as unknown as typeof data) };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Turns service errors (AppError) into TRPCErrors with the matching code. */
const errorMapping = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTRPCError(result.error.cause ?? result.error);
    if (mapped instanceof TRPCError) {
      if (mapped.code === "SERVICE_UNAVAILABLE") ctx.response.headers["Retry-After"] = "1";
      throw mapped;
    }
  }
  return result;
});

/** Purchases and credits counted for /metrics (metrics/metrics.ts), over every transport. */
const moneyMetrics = t.middleware(async ({ meta, next }) => {
  const result = await next();
  observeProcedure(meta?.openapi?.path, result.ok ? { ok: true, data: result.data } : result);
  return result;
});

export const publicProcedure = t.procedure.use(moneyMetrics).use(errorMapping);

export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const user = await authenticate(ctx);
  return next({ ctx: { ...ctx, user } });
});

export const adminProcedure = authedProcedure.use(async ({ ctx, next }) => {
  if (!ctx.user.isAdmin) throw new TRPCError({ code: "FORBIDDEN", message: "Administrators only" });
  return next({ ctx });
});

async function authenticate(ctx: Context): Promise<AuthUser> {
  const header = ctx.authorization;
  if (!header) throw new TRPCError({ code: "UNAUTHORIZED", message: "Authorization: Bearer <token> is required" });
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw new TRPCError({ code: "UNAUTHORIZED", message: "Authorization header must be 'Bearer <token>'" });
  const verified = verifyAccessToken(match[1]!, ctx.config.jwtSecret);
  if (!verified.ok) {
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: verified.reason === "expired" ? "Token expired: sign in again" : "Invalid token",
    });
  }
  const user = await loadAuthUser(ctx.db.sql, verified.claims.userId);
  if (!user || user.tokenVersion !== verified.claims.tokenVersion) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Token revoked: sign in again" });
  }
  if (!user.isActive) throw new TRPCError({ code: "FORBIDDEN", message: "Account is disabled" });
  return user;
}
