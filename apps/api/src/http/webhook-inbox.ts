// A webhook call refused before any procedure ran (malformed JSON, a body over the limit) is recorded in
// the webhook inbox too, as invalid_body, then answered by the shared error handler as before. It counts
// against its address's quota of invalid bodies like any other (past it: 429, not recorded).
import type { ErrorRequestHandler } from "express";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { refuseWebhook } from "../services/webhooks.service.ts";

export function webhookParseErrors({ db, loginLimiter }: Pick<Deps, "db" | "loginLimiter">): ErrorRequestHandler {
  return (error, req, _res, next) => {
    if (req.method !== "POST" || req.path !== "/payment/webhook") return next(error);
    const status = error instanceof AppError ? error.status : typeof error?.status === "number" ? error.status : 400;
    const refusal =
      error instanceof AppError
        ? error
        : new AppError(status === 413 ? "PAYLOAD_TOO_LARGE" : "INVALID_INPUT", "refused");
    const raw = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : req.rawBody;
    refuseWebhook(
      { db, log: req.log, loginLimiter },
      { sourceIp: req.ip ?? "unknown", rawBody: raw, parsed: undefined, error: refusal },
    ).then(
      (answer) => next(answer === refusal ? error : answer),
      () => next(error),
    );
  };
}
