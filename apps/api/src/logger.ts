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

/**
 * JSON lines, except in development on a terminal: there pino-pretty makes them readable (a worker
 * thread; never in production, where a log collector reads the JSON).
 */
export function createLogger(
  config: Pick<AppConfig, "logLevel"> & Partial<Pick<AppConfig, "nodeEnv">>,
  options: { tty?: boolean } = {},
): Logger {
  const pretty = config.nodeEnv === "development" && (options.tty ?? process.stdout.isTTY === true);
  return pino({
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    ...(pretty
      ? {
          transport: {
            target: "pino-pretty",
            options: { colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" },
          },
        }
      : {}),
  });
}
