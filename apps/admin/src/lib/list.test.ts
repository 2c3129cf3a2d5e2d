// Paging rules of every list: where Previous and Next go (cursors when the API gives them, offsets
// before), "about N" for an estimated total, and the move back from a page past the end.
import { describe, expect, test } from "vitest";
import { countText, lastPageIfPast, pageMoves, type Page } from "./list.ts";

const page = (over: Partial<Page<number>> & { items: number[] }): Page<number> => ({
  total: 0,
  totalIsEstimate: false,
  limit: 10,
  offset: 0,
  nextCursor: null,
  prevCursor: null,
  ...over,
});
const rows = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("pageMoves", () => {
  test("by offset while the API gives no cursors: Next while rows remain, Previous back to page 1", () => {
    const first = pageMoves({ page: 1, cursor: undefined, limit: 10 }, page({ items: rows(10), total: 25 }));
    expect(first).toEqual({ previous: null, next: { page: 2, cursor: undefined } });
    const last = pageMoves({ page: 3, cursor: undefined, limit: 10 }, page({ items: rows(5), total: 25, offset: 20 }));
    expect(last).toEqual({ previous: { page: 2, cursor: undefined }, next: null });
    // Page 2 → Previous is the first page read afresh: nothing in the URL.
    const second = pageMoves(
      { page: 2, cursor: undefined, limit: 10 },
      page({ items: rows(10), total: 25, offset: 10 }),
    );
    expect(second.previous).toEqual({ page: undefined, cursor: undefined });
  });

  test("a full last page with an exact total has no Next", () => {
    expect(pageMoves({ page: 1, cursor: undefined, limit: 10 }, page({ items: rows(10), total: 10 })).next).toBeNull();
  });

  test("by cursor when the API gives them, and never past a null nextCursor", () => {
    const first = pageMoves(
      { page: 1, cursor: undefined, limit: 10 },
      page({ items: rows(10), total: 10_000_000, totalIsEstimate: true, nextCursor: "n1" }),
    );
    expect(first).toEqual({ previous: null, next: { page: 2, cursor: "n1" } });
    const middle = pageMoves(
      { page: 3, cursor: "n2", limit: 10 },
      page({ items: rows(10), total: 10_000_000, totalIsEstimate: true, nextCursor: "n3", prevCursor: "p3" }),
    );
    expect(middle).toEqual({ previous: { page: 2, cursor: "p3" }, next: { page: 4, cursor: "n3" } });
    // The last page by cursor: an estimated total that says "more" does not invent a page.
    const last = pageMoves(
      { page: 4, cursor: "n3", limit: 10 },
      page({ items: rows(10), total: 10_000_000, totalIsEstimate: true, prevCursor: "p4" }),
    );
    expect(last.next).toBeNull();
    // A cursor without its page number (a link written by hand) still goes back by its prevCursor.
    const bare = pageMoves({ page: 1, cursor: "n2", limit: 10 }, page({ items: rows(10), total: 30, prevCursor: "p" }));
    expect(bare.previous).toEqual({ page: undefined, cursor: "p" });
  });
});

describe("countText", () => {
  test("an exact total as it is, an estimate as 'about N', grouped", () => {
    expect(countText({ total: 57, totalIsEstimate: false })).toBe("57");
    expect(countText({ total: 10_000_000, totalIsEstimate: true })).toBe("about 10,000,000");
  });
});

describe("lastPageIfPast", () => {
  test("an empty offset page past an exact total goes to the last page", () => {
    expect(lastPageIfPast({ page: 99, cursor: undefined, limit: 10 }, page({ items: [], total: 12 }))).toBe(2);
    expect(lastPageIfPast({ page: 2, cursor: undefined, limit: 10 }, page({ items: [], total: 0 }))).toBe(1);
  });

  test("not for a page with rows, a cursor page or an estimate", () => {
    expect(lastPageIfPast({ page: 2, cursor: undefined, limit: 10 }, page({ items: rows(2), total: 12 }))).toBeNull();
    expect(lastPageIfPast({ page: 5, cursor: "c", limit: 10 }, page({ items: [], total: 12 }))).toBeNull();
    expect(
      lastPageIfPast({ page: 5, cursor: undefined, limit: 10 }, page({ items: [], total: 12, totalIsEstimate: true })),
    ).toBeNull();
  });
});
