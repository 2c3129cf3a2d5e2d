import pino, { type Logger } from "pino";
import type { AppConfig } from "./env.ts";

/** Paths never written to a log line: credentials, tokens and hashes. */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "req.headers['idempotency-key']",
  "res.headers['set-cookie']",
  "*.password",
  "*.passwordHash",
  "*.accessToken",
  "*.token",
  "*.signature",
];

export function createLogger(config: Pick<AppConfig, "logLevel">): Logger {
  return pino({ level: config.logLevel, redact: { paths: REDACT_PATHS, censor: "[redacted]" } });
}
