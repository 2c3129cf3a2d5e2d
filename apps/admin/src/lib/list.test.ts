// Paging rules of every list: where First, Previous, Next and Last go (cursors when the API gives them,
// offsets before; `cursor=last` and pages counted from the end), what the pager says, "about N" for an
// estimated total, and the move back from a page past the end.
import { describe, expect, test } from "vitest";
import { countText, LAST_PAGE, lastPageIfPast, pageMoves, pageText, type Page } from "./list.ts";

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
const FIRST = { page: undefined, cursor: undefined, fromEnd: undefined };
const LAST = { page: undefined, cursor: LAST_PAGE, fromEnd: undefined };

describe("pageMoves", () => {
  test("by offset while the API gives no cursors: Next while rows remain, Previous back to page 1", () => {
    const first = pageMoves({ page: 1, cursor: undefined, limit: 10 }, page({ items: rows(10), total: 25 }));
    expect(first).toEqual({ first: null, previous: null, next: { page: 2, cursor: undefined }, last: LAST });
    const last = pageMoves({ page: 3, cursor: undefined, limit: 10 }, page({ items: rows(5), total: 25, offset: 20 }));
    expect(last).toEqual({ first: FIRST, previous: { page: 2, cursor: undefined }, next: null, last: null });
    // Page 2 → Previous is the first page read afresh: nothing in the URL.
    const second = pageMoves(
      { page: 2, cursor: undefined, limit: 10 },
      page({ items: rows(10), total: 25, offset: 10 }),
    );
    expect(second.previous).toEqual(FIRST);
  });

  test("a full last page with an exact total has no Next", () => {
    expect(pageMoves({ page: 1, cursor: undefined, limit: 10 }, page({ items: rows(10), total: 10 })).next).toBeNull();
  });

  test("by cursor when the API gives them, and never past a null nextCursor", () => {
    const first = pageMoves(
      { page: 1, cursor: undefined, limit: 10 },
      page({ items: rows(10), total: 10_000_000, totalIsEstimate: true, nextCursor: "n1" }),
    );
    expect(first).toEqual({ first: null, previous: null, next: { page: 2, cursor: "n1" }, last: LAST });
    const middle = pageMoves(
      { page: 3, cursor: "n2", limit: 10 },
      page({ items: rows(10), total: 10_000_000, totalIsEstimate: true, nextCursor: "n3", prevCursor: "p3" }),
    );
    expect(middle).toEqual({
      first: FIRST,
      previous: { page: 2, cursor: "p3" },
      next: { page: 4, cursor: "n3" },
      last: LAST,
    });
    // The last page by cursor: an estimated total that says "more" does not invent a page.
    const last = pageMoves(
      { page: 4, cursor: "n3", limit: 10 },
      page({ items: rows(10), total: 10_000_000, totalIsEstimate: true, prevCursor: "p4" }),
    );
    expect(last.next).toBeNull();
    expect(last.last).toBeNull();
    // A cursor without its page number (a link written by hand) still goes back by its prevCursor.
    const bare = pageMoves({ page: 1, cursor: "n2", limit: 10 }, page({ items: rows(10), total: 30, prevCursor: "p" }));
    expect(bare.previous).toEqual({ page: undefined, cursor: "p" });
  });
});

describe("pages counted from the end", () => {
  test("Last is cursor=last; Previous from it counts pages back, Next counts them forward again", () => {
    const last = pageMoves(
      { page: 1, cursor: LAST_PAGE, fromEnd: 1, limit: 10 },
      page({ items: rows(10), total: 23, prevCursor: "p1" }),
    );
    expect(last).toEqual({
      first: FIRST,
      previous: { page: undefined, cursor: "p1", fromEnd: 2 },
      next: null,
      last: null,
    });
    const before = pageMoves(
      { page: 1, cursor: "p1", fromEnd: 2, limit: 10 },
      page({ items: rows(10), total: 23, prevCursor: "p2", nextCursor: "n2" }),
    );
    expect(before).toEqual({
      first: FIRST,
      previous: { page: undefined, cursor: "p2", fromEnd: 3 },
      next: { page: undefined, cursor: "n2", fromEnd: 1 },
      last: LAST,
    });
    // Back at the start: nothing before it, so First and Previous are off.
    const start = pageMoves(
      { page: 1, cursor: "p2", fromEnd: 3, limit: 10 },
      page({ items: rows(3), total: 23, nextCursor: "n3" }),
    );
    expect(start.first).toBeNull();
    expect(start.previous).toBeNull();
  });

  test("an exact total numbers their rows back from the end; an estimate says where they are", () => {
    const at = (fromEnd: number) => ({ page: 1, cursor: "c", fromEnd, limit: 10 });
    expect(pageText(at(1), page({ items: rows(10), total: 23 }), "users")).toEqual({
      summary: "Showing 14–23 of 23 users",
      place: "Page 3 of 3",
    });
    expect(pageText(at(3), page({ items: rows(3), total: 23 }), "users")).toEqual({
      summary: "Showing 1–3 of 23 users",
      place: "Page 1 of 3",
    });
    const estimate = { total: 12_345_678, totalIsEstimate: true };
    expect(pageText(at(1), page({ items: rows(10), ...estimate }), "users")).toEqual({
      summary: "Showing the last 10 of about 12,345,678 users",
      place: "Last page of about 1,234,568",
    });
    expect(pageText(at(2), page({ items: rows(10), ...estimate }), "users").place).toBe(
      "Page 2 from the end of about 1,234,568",
    );
  });

  test("pages from the start as before", () => {
    const place = { page: 2, cursor: "n1", limit: 10 };
    expect(pageText(place, page({ items: rows(10), total: 23 }), "users")).toEqual({
      summary: "Showing 11–20 of 23 users",
      place: "Page 2 of 3",
    });
    expect(pageText(place, page({ items: [], total: 23 }), "users").summary).toBe("No users");
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
