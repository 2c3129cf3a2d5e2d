// The one place the e2e tests read the environment.
import { existsSync } from "node:fs";

/** Debian's Chromium by default; CHROMIUM_PATH points elsewhere. Undefined when there is none. */
export function chromiumPath(): string | undefined {
  const path = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  return existsSync(path) ? path : undefined;
}

export const SKIP_REASON = `Chromium not found at ${process.env.CHROMIUM_PATH || "/usr/bin/chromium"} (set CHROMIUM_PATH, or install it: apt-get install -y chromium)`;

/** The environment of the API server the tests start: this process's, plus the given values. */
export function serverEnv(values: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...values };
}

/** The environment of `vite build`: a production build even though vitest sets NODE_ENV=test. */
export function buildEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NODE_ENV: "production" };
}

/** Set E2E_SHOW_SERVER_LOGS=1 to see the API's warnings and errors while the tests run. */
export const showServerLogs = process.env.E2E_SHOW_SERVER_LOGS === "1";
