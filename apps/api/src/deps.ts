// The one dependency shape of every service: the database, the configuration, a logger and the
// sign-in limiter. The tRPC context extends it, so a router passes its `ctx` as it is; tests build it
// by hand.
import type { Db } from "@shop/db";
import type { Logger } from "pino";
import type { AppConfig } from "./env.ts";
import type { LoginLimiter } from "./services/login-limiter.ts";

export interface Deps {
  db: Db;
  config: AppConfig;
  log: Logger;
  loginLimiter: LoginLimiter;
}
