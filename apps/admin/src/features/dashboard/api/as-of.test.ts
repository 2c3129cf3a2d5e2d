import { describe, expect, test } from "vitest";
import { asOfText } from "./as-of.ts";

describe("asOfText", () => {
  const asOf = "2026-12-06T12:01:02.000Z";
  const at = Date.parse(asOf);

  test("says the time, and nothing more while the figures are fresh", () => {
    const { time, behind } = asOfText(asOf, at + 4_000);
    expect(time).toMatch(/^\d{2}:\d{2}:02$/);
    expect(behind).toBeNull();
  });

  test("says how far behind figures older than 5 s were when answered", () => {
    expect(asOfText(asOf, at + 42_000).behind).toBe("42 s behind");
    expect(asOfText(asOf, at + 10 * 60_000).behind).toBe("10 min behind");
    expect(asOfText(asOf, at + 3 * 3_600_000).behind).toBe("3 h behind");
  });
});
