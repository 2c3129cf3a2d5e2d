// The reports' lane on the primary yields to the money path. Reports, listings and exports read through a
// pool of their own (server.ts: DATABASE_REPORTS_POOL_SIZE sessions); that bounds how many sessions they
// take, not how much of the time: operators who ask for reports back to back (a dashboard left
// refreshing, a script) keep that session busy, and on a primary of two cores a busy session is a core the
// purchases do not get (purchases kept 64 % of their throughput beside three report loops).
//
// So while money statements are in flight (the primary's own pool has a connection out or a query
// waiting: server.ts), each statement of the lane holds the lane afterwards for (100 / share − 1) times
// its own duration, at most MAX_HOLD_MS: the lane then takes at most `share` % of its time, and the rest
// goes to the purchases. While that pool is idle, the lane runs back to back: an operator alone is never
// slowed. A replica (DATABASE_READ_URL) has no money path to yield to: share 100, no hold.
//
// Written here because no library does it: rate limiters (bottleneck, p-limit) bound calls per period
// or at once, not a share of time that depends on what the other pool is doing.
import type { SqlClient } from "@shop/db";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface YieldOptions {
  /** The most of its time the lane takes while the money path is busy, in percent (100: no limit). */
  sharePercent: number;
  /** The lane's sessions (its pool's size): statements beyond them wait here, not in the pool. */
  sessions: number;
  /** True while money statements are in flight (server.ts: the primary pool's connections out, queries waiting). */
  busy: () => boolean;
}

/**
 * The longest a statement holds the lane: a cold read or an auditor's full check that took seconds would
 * otherwise keep every operator waiting several times as long (four at the default share, 20 %).
 */
export const MAX_HOLD_MS = 250;

export function yieldingLane(sql: SqlClient, { sharePercent, sessions, busy }: YieldOptions): SqlClient {
  if (sharePercent >= 100) return sql;
  const hold = 100 / sharePercent - 1;
  /** When the lane may run its next statement if the money path is busy. */
  let freeAt = 0;
  // The lane's sessions as slots: a statement is timed from when it has a session, so the hold is its
  // own duration, not its wait behind the others.
  let running = 0;
  const waiting: (() => void)[] = [];
  const acquire = () =>
    running < sessions ? (running++, Promise.resolve()) : new Promise<void>((resolve) => waiting.push(resolve));
  const release = () => (waiting.length > 0 ? waiting.shift()!() : running--);
  /** A session, once the hold is over (or at once while the money path is idle). */
  async function turn() {
    await acquire();
    const wait = freeAt - performance.now();
    if (wait > 0 && busy()) await sleep(wait);
  }
  async function run<T>(work: () => Promise<T>): Promise<T> {
    await turn();
    try {
      const started = performance.now();
      try {
        return await work();
      } finally {
        const ended = performance.now();
        freeAt = Math.max(freeAt, ended) + Math.min((ended - started) * hold, MAX_HOLD_MS);
      }
    } finally {
      release();
    }
  }
  const lane: SqlClient = {
    query: (statement, values) => run(() => sql.query(statement, values)),
    transaction: (fn) => run(() => sql.transaction(fn)),
  };
  // An export's cursor holds its session for its length: it waits for its turn at the start, and its
  // length (seconds, for an operator who asked for a file) adds no hold.
  if (sql.stream) {
    const stream = sql.stream.bind(sql);
    lane.stream = async function* (statement, values, batchSize) {
      await turn();
      try {
        yield* stream(statement, values, batchSize);
      } finally {
        release();
      }
    };
  }
  return lane;
}
