// Errors raised outside tRPC (body parsing, the SPA, unknown routes) get the same JSON shape as REST
// errors: {message, code, appCode}. Anything unexpected is a 500 with a generic message, logged in full.
import type { ErrorRequestHandler } from "express";
import { AppError, type AppErrorCode } from "../errors.ts";

/** body-parser's error types → what they mean to the client. */
const BODY_PARSER_ERRORS: Record<string, [AppErrorCode, string]> = {
  "entity.too.large": ["PAYLOAD_TOO_LARGE", "Request body too large"],
  "entity.parse.failed": ["MALFORMED_JSON", "Malformed JSON body"],
  "encoding.unsupported": ["UNSUPPORTED_MEDIA_TYPE", "Unsupported body encoding"],
  "charset.unsupported": ["UNSUPPORTED_MEDIA_TYPE", "Unsupported body charset"],
  "request.aborted": ["INVALID_INPUT", "Request aborted"],
  "request.size.invalid": ["INVALID_INPUT", "Request size did not match Content-Length"],
};

export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  let app: AppError;
  if (error instanceof AppError) app = error;
  else if (typeof error?.type === "string" && BODY_PARSER_ERRORS[error.type]) {
    app = new AppError(...BODY_PARSER_ERRORS[error.type]!);
  } else if (typeof error?.status === "number" && error.status >= 400 && error.status < 500) {
    app = new AppError("INVALID_INPUT", String(error.message ?? "Bad request"));
  } else {
    app = new AppError("INTERNAL_ERROR", "Internal server error");
  }
  if (app.status >= 500) req.log.error({ err: error }, "unhandled error");
  if (res.headersSent) return;
  res.status(app.status).set(app.headers).json(app);
};
