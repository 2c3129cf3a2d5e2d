// Abuse limits kept per client address (and per login): sign-in guesses, registrations and bad webhook
// signatures. In Redis when REDIS_URL is set, so the limits hold across instances; in memory otherwise.
// If Redis fails, an in-memory limiter stands in rather than letting everything through.
//
// Sign-in: every attempt takes a point first (so a burst of parallel guesses cannot slip past the
// count) from two budgets: the (login, address) pair and the address. A successful sign-in gives them
// back. Guesses from other addresses never spend the pair budget of the user's own address, so nobody
// can lock a user out of their correct password from elsewhere (a budget per login alone let ten
// requests every 15 minutes keep the administrator out forever).
import { Redis } from "ioredis";
import { RateLimiterMemory, type RateLimiterAbstract, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "../errors.ts";

export interface LoginLimits {
  /** Failed sign-ins per (login, client address) within the window. */
  perLogin: number;
  /** Failed sign-ins per client address (all logins) within the window. */
  perAddress: number;
  windowSeconds: number;
  /** Registrations per client address within their window (default 10 per hour). */
  registrationsPerAddress?: number;
  registrationWindowSeconds?: number;
  /** Badly signed webhook calls per client address within their window (default 20 per 15 min). */
  badSignaturesPerAddress?: number;
  badSignatureWindowSeconds?: number;
  /** Webhook calls refused for their body (before any signature could be checked) per address (default 20 per 15 min). */
  invalidWebhookBodiesPerAddress?: number;
  invalidWebhookBodyWindowSeconds?: number;
}

export interface LoginLimiter {
  /**
   * Takes a point for this sign-in attempt; throws RateLimitedError (RATE_LIMITED, with Retry-After)
   * when over. `login` must be the normalised login (lower case ASCII; see auth.service).
   */
  attempt(login: string, address: string): Promise<void>;
  /** A successful sign-in: the pair's failures are forgotten and the address gets its point back. */
  succeeded(login: string, address: string): Promise<void>;
  /** Takes a point for a registration from this address; throws RateLimitedError when over. */
  registration(address: string): Promise<void>;
  /** Counts a badly signed webhook call; throws RateLimitedError when the address is over its budget. */
  badSignature(address: string): Promise<void>;
  /** Counts a webhook call refused for its body; throws RateLimitedError when the address is over its budget. */
  invalidWebhookBody(address: string): Promise<void>;
  /**
   * Whether a webhook call refused with 429 from this address may be recorded: the first one of the
   * window is (the evidence that the address was limited), the others are not.
   */
  rateLimitedRecord(address: string): Promise<boolean>;
  close(): Promise<void>;
}

export class RateLimitedError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    what = "failed sign-in attempts",
  ) {
    super("RATE_LIMITED", `Too many ${what}: try again in ${retryAfterSeconds} s`, {
      headers: { "Retry-After": String(retryAfterSeconds) },
    });
  }
}

export function createLoginLimiter(limits: LoginLimits, redisUrl?: string, namespace = "login"): LoginLimiter {
  const redis = redisUrl
    ? new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false })
    : undefined;
  redis?.on("error", () => {}); // reported through the insurance limiter taking over; never crash
  const make = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
    const options = { keyPrefix: `${namespace}:${keyPrefix}`, points, duration };
    return redis
      ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) })
      : new RateLimiterMemory(options);
  };
  const byPair = make("pair", limits.perLogin, limits.windowSeconds);
  const byAddress = make("addr", limits.perAddress, limits.windowSeconds);
  const registrations = make(
    "register",
    limits.registrationsPerAddress ?? 10,
    limits.registrationWindowSeconds ?? 3600,
  );
  const badSignatures = make("badsig", limits.badSignaturesPerAddress ?? 20, limits.badSignatureWindowSeconds ?? 900);
  const invalidBodies = make(
    "badbody",
    limits.invalidWebhookBodiesPerAddress ?? 20,
    limits.invalidWebhookBodyWindowSeconds ?? 900,
  );
  const rateLimitedRecords = make(
    "limitedrec",
    1,
    Math.max(limits.badSignatureWindowSeconds ?? 900, limits.invalidWebhookBodyWindowSeconds ?? 900),
  );
  const pairKey = (login: string, address: string) => `${address}|${login}`;

  const consume = async (what: string, ...work: Promise<unknown>[]) => {
    try {
      await Promise.all(work);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), what);
      }
      throw rejection;
    }
  };

  return {
    attempt: (login, address) =>
      consume("failed sign-in attempts", byPair.consume(pairKey(login, address)), byAddress.consume(address)),
    async succeeded(login, address) {
      await Promise.all([byPair.delete(pairKey(login, address)), byAddress.reward(address, 1)]);
    },
    registration: (address) => consume("registrations from this address", registrations.consume(address)),
    badSignature: (address) => consume("badly signed calls from this address", badSignatures.consume(address)),
    invalidWebhookBody: (address) => consume("invalid calls from this address", invalidBodies.consume(address)),
    async rateLimitedRecord(address) {
      try {
        await rateLimitedRecords.consume(address);
        return true;
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return false;
        throw rejection;
      }
    },
    async close() {
      redis?.disconnect();
    },
  };
}
