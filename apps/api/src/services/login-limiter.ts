// Brute-force protection for sign-in: failed attempts are counted per login and per client address.
// Every attempt takes a point first (so a burst of parallel guesses cannot slip past the count) and a
// successful sign-in gives them back. In Redis when REDIS_URL is set, so the limits hold across
// instances; in memory otherwise. If Redis fails, an in-memory limiter stands in rather than letting
// every guess through.
import { Redis } from "ioredis";
import { RateLimiterMemory, type RateLimiterAbstract, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "../errors.ts";

export interface LoginLimits {
  perLogin: number;
  perAddress: number;
  windowSeconds: number;
}

export interface LoginLimiter {
  /** Takes a point for this attempt; throws RateLimitedError (RATE_LIMITED, with Retry-After) when over. */
  attempt(login: string, address: string): Promise<void>;
  /** A successful sign-in: the login's failures are forgotten and the address gets its point back. */
  succeeded(login: string, address: string): Promise<void>;
  close(): Promise<void>;
}

export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super("RATE_LIMITED", `Too many failed sign-in attempts: try again in ${retryAfterSeconds} s`, {
      headers: { "Retry-After": String(retryAfterSeconds) },
    });
  }
}

export function createLoginLimiter(limits: LoginLimits, redisUrl?: string, namespace = "login"): LoginLimiter {
  const redis = redisUrl
    ? new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false })
    : undefined;
  redis?.on("error", () => {}); // reported through the insurance limiter taking over; never crash
  const make = (keyPrefix: string, points: number): RateLimiterAbstract => {
    const options = { keyPrefix: `${namespace}:${keyPrefix}`, points, duration: limits.windowSeconds };
    return redis
      ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) })
      : new RateLimiterMemory(options);
  };
  const byLogin = make("login", limits.perLogin);
  const byAddress = make("addr", limits.perAddress);
  const loginKey = (login: string) => login.trim().toLowerCase();

  return {
    async attempt(login, address) {
      try {
        await Promise.all([byLogin.consume(loginKey(login)), byAddress.consume(address)]);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
        }
        throw rejection;
      }
    },
    async succeeded(login, address) {
      await Promise.all([byLogin.delete(loginKey(login)), byAddress.reward(address, 1)]);
    },
    async close() {
      redis?.disconnect();
    },
  };
}
