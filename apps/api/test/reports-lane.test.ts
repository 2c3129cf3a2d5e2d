// The reports' lane on the primary yields to the money path (reports-lane.ts): while the primary's pool is
// busy, each statement holds the lane afterwards for (100 / share − 1) times its own duration, timed from
// when it has a session; while it is idle, statements run back to back. Timers are faked: the statements
// below "take" their time on the fake clock, and the test reads when each one started.
import type { SqlClient } from "@shop/db";
import { statement } from "@shop/db";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_HOLD_MS, yieldingLane } from "../src/reports-lane.ts";

const s = statement<{ n: number }>("test.lane", "SELECT 1 AS n");

/** A client whose statements take `ms` each on one session (one at a time), recording when each began. */
function slowClient(ms: number) {
  const started: number[] = [];
  let free = Promise.resolve();
  const client: SqlClient = {
    query: async <Row>() => {
      const turn = free.then(async () => {
        started.push(performance.now());
        await new Promise((r) => setTimeout(r, ms));
      });
      free = turn;
      await turn;
      return [] as Row[];
    },
    transaction: () => Promise.reject(new Error("not used")),
  };
  return { client, started };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "performance"] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Runs `calls` statements through the lane at once and returns when each began, from the first. */
async function starts(lane: SqlClient, started: number[], calls: number) {
  const all = Promise.all(Array.from({ length: calls }, () => lane.query(s, [])));
  await vi.runAllTimersAsync();
  await all;
  return started.map((t) => Math.round(t - started[0]!));
}

describe("the reports' lane on the primary", () => {
  it("holds for three times each statement while the money path is busy (share 25 %)", async () => {
    const { client, started } = slowClient(10);
    const lane = yieldingLane(client, { sharePercent: 25, sessions: 1, busy: () => true });
    // Each 10 ms statement, then 30 ms held: the lane takes a quarter of its time. The holds count a
    // statement's own 10 ms, not its wait behind the others (which would hold for 30, 60, 90 ms).
    expect(await starts(lane, started, 4)).toEqual([0, 40, 80, 120]);
  });

  it("holds for MAX_HOLD_MS at most after a long statement", async () => {
    const { client, started } = slowClient(1000);
    const lane = yieldingLane(client, { sharePercent: 25, sessions: 1, busy: () => true });
    expect(await starts(lane, started, 2)).toEqual([0, 1000 + MAX_HOLD_MS]);
  });

  it("runs back to back while the money path is idle", async () => {
    const { client, started } = slowClient(10);
    const lane = yieldingLane(client, { sharePercent: 25, sessions: 1, busy: () => false });
    expect(await starts(lane, started, 4)).toEqual([0, 10, 20, 30]);
  });

  it("holds for as long as each statement at share 50 %, and not at all at 100 %", async () => {
    const half = slowClient(10);
    expect(
      await starts(yieldingLane(half.client, { sharePercent: 50, sessions: 1, busy: () => true }), half.started, 3),
    ).toEqual([0, 20, 40]);
    const whole = slowClient(10);
    const unlimited = yieldingLane(whole.client, { sharePercent: 100, sessions: 1, busy: () => true });
    expect(unlimited).toBe(whole.client);
  });
});
