// Request id and one log line per request, with nothing per request that the log level does not need.
// (pino-http did the same at about 10 % of a purchase's CPU, even with its lines below the level:
// serializers, redaction and listeners ran for every request; docs/performance.md.)
//
// - X-Request-Id: the caller's, when it is a sane token, otherwise a new UUID; echoed on the response.
// - req.log: a child logger carrying reqId, for anything the request's handlers log.
// - One line when the response is sent or the client goes away: method, path (activation tokens
//   redacted), status, time, and the tRPC procedure that answered. Headers are never logged: they
//   carry credentials.
import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import type { Level, Logger } from "pino";

declare module "node:http" {
  interface IncomingMessage {
    /** This request's id (X-Request-Id). */
    id: string;
    /** A logger bound to this request's id. */
    log: Logger;
  }
}

const SANE_ID = /^[\w.-]{1,100}$/;
/**
 * Paths that carry a secret: the activation link's token, on REST (/users/activate/<token>) and on tRPC
 * (/trpc/auth.activate?input=…, also inside a batch): the query string of any /trpc call that includes
 * auth.activate is dropped whole.
 */
export const redactPath = (url: string) => {
  const redacted = url.replace(/\/users\/activate\/[^/?#]+/, "/users/activate/[redacted]");
  const q = redacted.indexOf("?");
  if (q >= 0 && /^\/trpc\/[^?]*auth\.activate/.test(redacted.slice(0, q))) return `${redacted.slice(0, q)}?[redacted]`;
  return redacted;
};

/** Files of the docs and the admin SPA: a page load fetches dozens; their successes are debug lines. */
const STATIC_FILE = /^\/(docs|admin)\/.*\.[a-z0-9]+$/i;

export function requestLog(log: Logger, options: { ignore?: (path: string) => boolean } = {}): RequestHandler {
  return (req, res, next) => {
    const given = req.headers["x-request-id"];
    const id = typeof given === "string" && SANE_ID.test(given) ? given : randomUUID();
    res.setHeader("X-Request-Id", id);
    req.id = id;
    req.log = log.child({ reqId: id });
    const started = performance.now();
    res.once("close", () => {
      // A client that leaves before the answer is the client's business (warn), as are 4xx; 5xx are ours.
      const level: Level =
        res.statusCode >= 500
          ? "error"
          : !res.writableFinished || res.statusCode >= 400
            ? "warn"
            : STATIC_FILE.test(req.path)
              ? "debug"
              : "info";
      if (!log.isLevelEnabled(level) || options.ignore?.(req.path)) return;
      req.log[level](
        {
          req: { method: req.method, url: redactPath(req.originalUrl) },
          res: { statusCode: res.statusCode },
          ...(res.locals.procedureResponse?.procedure ? { procedure: res.locals.procedureResponse.procedure } : {}),
          responseTime: Math.round(performance.now() - started),
        },
        res.writableFinished ? "request completed" : "request aborted",
      );
    });
    next();
  };
}
