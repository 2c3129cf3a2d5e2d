// The Express application: JSON parsing, logging, health, docs, tRPC at /trpc, the admin SPA at
// /admin and, last, the REST projection of the same procedures at the root.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import cors from "cors";
import express, { type Express, type Request, type Response } from "express";
import helmet from "helmet";
import { createOpenApiExpressMiddleware, createOpenApiNodeHttpHandler } from "trpc-to-openapi";
import type { Deps } from "./deps.ts";
import { AppError } from "./errors.ts";
import { activationPage } from "./http/activation-page.ts";
import { adminSpaRouter } from "./http/admin-spa.ts";
import { useClientAddress } from "./http/client-address.ts";
import { docsRouter } from "./http/docs.ts";
import { errorHandler } from "./http/errors.ts";
import { jsonBody } from "./http/json-body.ts";
import { createOpenApiDocument } from "./http/openapi.ts";
import { requestLog } from "./http/request-log.ts";
import { transactionsCsvRouter } from "./http/transactions-csv.ts";
import { webhookParseErrors } from "./http/webhook-inbox.ts";
import { httpMetrics } from "./metrics/http.ts";
import { appRouter } from "./routers/_app.ts";
import { type Context, createContextInner, trpcDoor } from "./trpc.ts";

/** The services' dependencies; the login limiter is owned (and closed) by the caller. */
export type AppDeps = Deps;

const require = createRequire(import.meta.url);

function defaultAdminDir(): string {
  try {
    return join(dirname(require.resolve("@shop/admin/package.json")), "dist");
  } catch {
    return join(process.cwd(), "apps", "admin", "dist");
  }
}

export { API_VERSION, createOpenApiDocument } from "./http/openapi.ts";

/** The most procedure calls one tRPC batch request may carry (the clients' links use the same). */
export const MAX_TRPC_BATCH = 20;

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function createApp({ db, readDb, config, log, loginLimiter }: Deps): Express {
  const app = express();
  app.disable("x-powered-by");
  // Which peers may name the client (TRUST_PROXY, default loopback); req.ip ignores X-Forwarded-For
  // entries that are not addresses (http/client-address.ts).
  app.set("trust proxy", config.trustProxy);
  useClientAddress(app);

  app.use(httpMetrics(appRouter));
  app.use(requestLog(log, { ignore: (path) => path === "/health" }));
  app.use(
    helmet({
      // Everything is served from this origin: the docs (Redoc, Swagger UI) and the SPA load no script,
      // style or font from another host. Redoc and Swagger UI inject inline styles; Redoc's search uses a
      // blob: worker.
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", "data:"],
          fontSrc: ["'self'", "data:"],
          connectSrc: ["'self'"],
          workerSrc: ["'self'", "blob:"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // Plain-HTTP deployments (and localhost) must keep working: TLS is the proxy's business.
      strictTransportSecurity: false,
    }),
  );
  // CORS is closed unless CORS_ORIGINS lists the browser origins allowed to call the API. Closed, the
  // cors middleware only calls next() (no header, preflights included): it is not mounted at all then.
  if (config.corsOrigins.length > 0) {
    app.use(
      cors({
        origin: config.corsOrigins,
        allowedHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"],
        exposedHeaders: ["X-Request-Id", "Retry-After", "Idempotent-Replayed"],
        maxAge: 600,
      }),
    );
  }
  app.use(jsonBody({ limit: "100kb" }));
  app.use(webhookParseErrors({ db, loginLimiter }));

  app.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/ready", async (req, res) => {
    try {
      await db.ping();
      res.json({ status: "ready", database: db.engine });
    } catch (error) {
      req.log.error({ err: error }, "readiness check failed");
      res
        .status(503)
        .json({ status: "unavailable", ...new AppError("DATABASE_UNAVAILABLE", "Database unreachable").toJSON() });
    }
  });

  const contextFor =
    (transport: Context["transport"]) =>
    ({ req, res }: { req: Request; res: Response }): Context => {
      const ctx = createContextInner({
        db,
        readDb,
        config,
        log: req.log,
        authorization: header(req, "authorization"),
        idempotencyKey: header(req, "idempotency-key"),
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
        requestId: req.id,
        rawBody: req.rawBody,
        loginLimiter,
        transport,
      });
      // The request log names the procedure that answered (set by the procedures' first middleware).
      res.locals.procedureResponse = ctx.response;
      return ctx;
    };

  app.use(activationPage({ db, config, log, loginLimiter }));

  const onError = ({ error, path, req }: { error: { code: string; cause?: unknown }; path?: string; req: Request }) => {
    if (error.code === "INTERNAL_SERVER_ERROR") req.log.error({ err: error.cause ?? error, path }, "procedure failed");
  };
  const restOptions = {
    router: appRouter,
    createContext: contextFor("rest"),
    onError,
    responseMeta: ({ ctx, errors }: { ctx?: Context; errors: unknown[] }) => ({
      ...(errors.length === 0 && ctx?.response.status ? { status: ctx.response.status } : {}),
      headers: ctx?.response.headers ?? {},
    }),
  };
  // The REST projection answers its procedures' paths here, before the docs, the SPA and /trpc are
  // walked (a dozen router layers per request otherwise); a path no procedure has goes on (next) to
  // them. None of their paths is a procedure's: the activation page (the same path as auth.activate,
  // for browsers) is mounted above. Unknown paths still get the projection's own 404, at the end.
  const rest = createOpenApiNodeHttpHandler<typeof appRouter, Request, Response>(restOptions);
  app.use((req, res, next) => rest(req, res, next));

  let document: ReturnType<typeof createOpenApiDocument> | undefined;
  app.use(docsRouter(() => (document ??= createOpenApiDocument(config))));

  const adminDir = config.adminSpaDir ?? defaultAdminDir();
  if (!existsSync(adminDir)) log.warn({ adminDir }, "admin SPA not built: /admin answers 503 until `npm run build`");
  app.use(adminSpaRouter(adminDir));

  const trpcMiddleware = createExpressMiddleware({
    router: appRouter,
    createContext: contextFor("trpc"),
    onError,
    maxBodySize: 100_000,
    // One request batching 500 registrations held the server for 30 s: a larger batch is a 400.
    maxBatchSize: MAX_TRPC_BATCH,
    // Without a context (refused before one existed) tRPC's adapter labels its JSON text/plain.
    responseMeta: ({ ctx }) => ({ headers: ctx?.response.headers ?? { "Content-Type": "application/json" } }),
  });
  app.use("/trpc", (req, res, next) => trpcDoor.run(true, () => trpcMiddleware(req, res, next)));

  // A plain route: CSV, not JSON (README "API"). Before the REST projection, which answers unknown paths.
  app.use(transactionsCsvRouter({ db, readDb, config, log, loginLimiter }));

  // Paths nothing above answered: the REST projection's JSON 404 (it answers unknown paths itself).
  app.use(createOpenApiExpressMiddleware(restOptions));

  // Unknown paths never get here: the REST middleware answers them with a JSON 404 itself.
  app.use(errorHandler);
  return app;
}
