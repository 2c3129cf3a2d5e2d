// The one dependency shape of every service: the database, the configuration, a logger and the
// sign-in limiter. The tRPC context extends it, so a router passes its `ctx` as it is; tests build it
// by hand.
import type { Db } from "@shop/db";
import type { Logger } from "pino";
import type { AppConfig } from "./env.ts";
import type { LoginLimiter } from "./services/login-limiter.ts";

export interface Deps {
  /** The primary: the money path and anything that must read its own writes. */
  db: Db;
  /**
   * A streaming replica (DATABASE_READ_URL) for reports, listings and exports, which may lag the primary
   * (their answers say by how much); absent: they read `db`.
   */
  readDb?: Db | undefined;
  config: AppConfig;
  log: Logger;
  loginLimiter: LoginLimiter;
}

/** The handle for reads that may lag (reports, listings, exports): the replica when there is one. */
export const reader = (deps: Pick<Deps, "db" | "readDb">): Db => deps.readDb ?? deps.db;
