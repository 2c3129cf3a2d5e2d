// Errors raised outside tRPC (body parsing, unknown routes) get the same JSON shape as REST errors:
// {message, code}. Anything unexpected is a 500 with a generic message, logged in full.
import type { ErrorRequestHandler } from "express";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const BODY_PARSER_ERRORS: Record<string, [number, string, string]> = {
  "entity.too.large": [413, "PAYLOAD_TOO_LARGE", "Request body too large"],
  "entity.parse.failed": [400, "PARSE_ERROR", "Malformed JSON body"],
  "encoding.unsupported": [415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported body encoding"],
  "charset.unsupported": [415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported body charset"],
  "request.aborted": [400, "BAD_REQUEST", "Request aborted"],
  "request.size.invalid": [400, "BAD_REQUEST", "Request size did not match Content-Length"],
  "stream.encoding.set": [500, "INTERNAL_SERVER_ERROR", "Internal server error"],
};

export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  let status = 500;
  let code = "INTERNAL_SERVER_ERROR";
  let message = "Internal server error";
  if (error instanceof HttpError) {
    ({ status, code, message } = error);
  } else if (typeof error?.type === "string" && BODY_PARSER_ERRORS[error.type]) {
    [status, code, message] = BODY_PARSER_ERRORS[error.type]!;
  } else if (typeof error?.status === "number" && error.status >= 400 && error.status < 500) {
    status = error.status;
    code = "BAD_REQUEST";
    message = String(error.message ?? "Bad request");
  }
  if (status >= 500) req.log.error({ err: error }, "unhandled error");
  if (res.headersSent) return;
  res.status(status).json({ message, code });
};
