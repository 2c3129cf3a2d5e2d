// bcrypt with cost 10 (OWASP's floor). bcrypt reads only the first 72 bytes of its input, and passwords
// may be 128 characters of any script, so the password is first reduced with SHA-256: every
// character counts, and the input to bcrypt is 44 ASCII bytes.
import { createHash } from "node:crypto";
import bcrypt from "bcrypt";
import { AppError } from "../errors.ts";

export const BCRYPT_COST = 10;

/**
 * At most `concurrency` tasks at once and `maxWaiting` queued; beyond that, refused at once with 503
 * SERVER_BUSY + Retry-After instead of queueing without bound.
 */
export class WorkQueue {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {}

  get waiting(): number {
    return this.#waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.concurrency) {
      if (this.#waiting.length >= this.maxWaiting) {
        throw new AppError("SERVER_BUSY", "The server is busy hashing passwords: try again shortly", {
          headers: { "Retry-After": "1" },
        });
      }
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next)
        next(); // hands its slot over: #running stays
      else this.#running -= 1;
    }
  }
}

/**
 * New hashes (registrations, admin set-up) run at most 2 at a time with a bounded queue. bcrypt runs on
 * libuv's thread pool (4 threads by default): a burst of registrations (one batch carried 500) could
 * otherwise hold every thread and leave sign-ins unanswered; this keeps 2 free for comparisons.
 */
export const hashingQueue = new WorkQueue(2, 64);

function prehash(password: string): string {
  return createHash("sha256").update(password, "utf8").digest("base64");
}

export function hashPassword(password: string): Promise<string> {
  return hashingQueue.run(() => bcrypt.hash(prehash(password), BCRYPT_COST));
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(prehash(password), hash);
}

let dummy: Promise<string> | undefined;
/**
 * A valid hash of a random password: compared against when a login is unknown, so timing reveals nothing.
 * Made once, on libuv's thread pool, the first time it is asked for (the server asks at start, without
 * waiting: a synchronous hash at module load held start-up's one thread for 60–80 ms).
 */
export function dummyHash(): Promise<string> {
  return (dummy ??= bcrypt.hash(prehash(Math.random().toString(36)), BCRYPT_COST));
}
