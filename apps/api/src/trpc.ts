// tRPC core in three parts: the context, initTRPC with its error formatter, and the procedure builders.
import { AsyncLocalStorage } from "node:async_hooks";
import { initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import { ZodError } from "zod";
import type { Deps } from "./deps.ts";
import { AppError, type AppErrorCode, appCodeOf, toTRPCError } from "./errors.ts";
import type { Audited } from "./services/audit.service.ts";
import { observeProcedure } from "./metrics/metrics.ts";
import { userFromBearer } from "./services/auth.service.ts";

/** What every procedure may use: the services' Deps plus the request's own facts. Tests build it without HTTP. */
export interface ContextInner extends Deps {
  /** The Authorization header as sent, if any. */
  authorization: string | undefined;
  /** The Idempotency-Key header as sent, if any. */
  idempotencyKey: string | undefined;
  /** The client's address (req.ip), for per-address limits. */
  clientIp: string;
  /** The request's id (X-Request-Id), for the audit log. */
  requestId?: string | undefined;
  /** The JSON body's text exactly as received (REST), for the webhook inbox. */
  rawBody?: string | undefined;
  /** Which door the call came through: REST errors get the compact `{message, code, appCode, issues}` body. */
  transport: "rest" | "trpc" | "internal";
  /** Set by a procedure to answer with another success status (201 for creations); errors add headers. */
  response: { status?: number; headers: Record<string, string>; procedure?: string };
}

export function createContextInner(opts: Deps & Partial<Omit<ContextInner, keyof Deps>>): ContextInner {
  return {
    authorization: undefined,
    idempotencyKey: undefined,
    clientIp: "internal",
    transport: "internal",
    response: { headers: {} },
    ...opts,
  };
}

export type Context = ContextInner;

/**
 * Set around the tRPC adapter (app.ts): tells the error formatter which door an error raised before
 * any context existed came through (a wrong content type, a batch too large). Both adapters refuse
 * such requests before creating a context, and each needs its own shape: tRPC takes the HTTP status
 * from data.httpStatus (without it, it answered 200), REST wants {message, code, appCode}.
 */
export const trpcDoor = new AsyncLocalStorage<true>();

/**
 * A procedure's meta: its REST projection, and the domain errors (appCodes) its service can answer
 * with. The errors every operation of its kind can answer (bad input, auth, limits, 5xx) are added by
 * the document's post-processing (http/openapi.ts), which turns this list into per-status responses.
 */
export type Meta = OpenApiMeta & {
  appErrors?: AppErrorCode[];
  /** Set by adminProcedure: the document adds ADMIN_ONLY to the operation's errors. */
  access?: "admin";
  /** A creation: answers 201 (set here at run time; the document's 201 is read from this flag). */
  created?: true;
  /**
   * A money move that takes an Idempotency-Key (money-move.ts): a replay answers the first answer with
   * its status and `Idempotent-Replayed: true`; the document says so, and lists IDEMPOTENCY_KEY_* errors.
   */
  idempotent?: true;
  /** A money move counted by /metrics (metrics.ts): a purchase or a provider credit. */
  money?: "purchase" | "credit";
  /** Answers 204 without a body (the procedure sets the status; the document says 204, not 200). */
  noContent?: true;
};

/** A money move's answer as the procedure returns it: its status, and the replay header for a replay. */
export function answered<Body extends { replayed: boolean }>(
  ctx: Context,
  result: { status: number; body: Body },
): Body {
  ctx.response.status = result.status;
  if (result.body.replayed) ctx.response.headers["Idempotent-Replayed"] = "true";
  return result.body;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    errorFormatter({ shape, error, ctx }) {
      const zod = error.cause instanceof ZodError ? error.cause : undefined;
      // 5xx messages are generic: the cause goes to the log, never to the client.
      const message = error.code === "INTERNAL_SERVER_ERROR" ? "Internal server error" : shape.message;
      const appCode = appCodeOf(error);
      // No context: the request was refused before one existed (trpcDoor says by which adapter); its
      // stack is dropped, as the environment is unknown there.
      const transport = ctx?.transport ?? (trpcDoor.getStore() ? "trpc" : "rest");
      const data = {
        ...shape.data,
        appCode,
        stack: !ctx || ctx.config.nodeEnv === "production" ? undefined : shape.data.stack,
        issues: zod?.issues,
      };
      // REST: trpc-to-openapi spreads this shape into the body and sets `code` and `issues` itself, so
      // the body is {message, code, appCode, issues?}. tRPC clients read error.data.appCode.
      if (transport !== "trpc") {
        return { ...shape, message, appCode, data: undefined as unknown as typeof data };
      }
      return { ...shape, message, data };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * The first middleware of every procedure: records which procedure runs (for the request log), turns
 * service errors (AppError) into TRPCErrors with the matching code, sending their headers, and counts
 * purchases and credits for /metrics (metrics/metrics.ts) over every transport. One middleware, not
 * three: each level of tRPC's middleware chain copies the call's options and context objects.
 */
const procedureBoundary = t.middleware(async ({ ctx, path, meta, next }) => {
  ctx.response.procedure = path;
  const result = await next();
  if (result.ok) {
    if (meta?.created) ctx.response.status ??= 201;
    observeProcedure(meta?.money, { ok: true, data: result.data });
    return result;
  }
  const mapped = toTRPCError(result.error.cause ?? result.error);
  observeProcedure(meta?.money, {
    ok: false,
    error: { code: appCodeOf(mapped instanceof TRPCError ? mapped : result.error) },
  });
  if (mapped instanceof TRPCError) {
    if (mapped.cause instanceof AppError) Object.assign(ctx.response.headers, mapped.cause.headers);
    throw mapped;
  }
  return result;
});

export const publicProcedure = t.procedure.use(procedureBoundary);

export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const user = await userFromBearer(ctx, ctx.authorization);
  // tRPC merges what next() is given into the context: only the new key, not a copy of the context.
  return next({ ctx: { user } });
});

export const adminProcedure = authedProcedure.meta({ access: "admin" }).use(async ({ ctx, next }) => {
  if (!ctx.user.isAdmin) throw new AppError("ADMIN_ONLY", "Administrators only");
  // Who the audit log names for this call's writes.
  const audited: Audited = {
    actor: { type: "user", id: ctx.user.id, login: ctx.user.login },
    requestId: ctx.requestId ?? null,
  };
  return next({ ctx: { audited } });
});
