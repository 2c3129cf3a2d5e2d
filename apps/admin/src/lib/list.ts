// The state of every list — where the page starts (a cursor, or a page number while the API pages by
// offset; `cursor=last` for the last page, and `fromEnd` for the pages reached back from it), page size, search, sort, order and filters — lives in the URL, so a link, a reload and Back
// show the same view. Each list declares its parameters once as a zod schema built from the pieces
// below, which its route validates (`validateSearch` in src/router.tsx); the page reads and changes them
// only through useList. Defaults stay out of the URL: every parameter is optional, and a value the
// schema refuses (an old link, a typo) reads as absent.
import { MAX_OFFSET, ZCursorSchema, textInput } from "@shop/contracts";
import { useNavigate } from "@tanstack/react-router";
import { useCallback, useMemo } from "react";
import { z } from "zod";

export type Order = "asc" | "desc";

/** The page sizes every list offers; the API takes up to 100. */
export const PAGE_SIZES = [10, 20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 20;

/** The cursor every listing takes for its last page (the rows before its end), with prevCursor set. */
export const LAST_PAGE = "last";

/** The API takes offsets up to MAX_OFFSET (ZPageInputSchema); cursors go anywhere. */

/** An optional URL value: what `schema` accepts, anything else reads as absent. */
export function param<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

/** A whole number from the URL's text (or from a link, as a number). */
function wholeNumber(min: number, max: number) {
  return z
    .union([
      z.number(),
      z
        .string()
        .regex(/^[0-9]{1,7}$/)
        .transform(Number),
    ])
    .pipe(z.number().int().min(min).max(max));
}

/** Where the page starts and how long it is: every list has these. */
export const pageSearch = {
  /** 1-based. With a cursor it only says which page this is; without one it is the offset's page. */
  page: param(wholeNumber(1, 9_999_999)),
  /** A page's nextCursor or prevCursor, as the API gave it, or LAST_PAGE ("last": the listing's last page). */
  cursor: param(ZCursorSchema),
  /**
   * With a cursor: the page's place counted from the end (1: the last page), for the pages reached from
   * "Last" by Previous. `cursor=last` alone is the last page. The last page holds the last `size` rows, so
   * pages counted from the end do not line up with pages counted from the start.
   */
  fromEnd: param(wholeNumber(1, 9_999_999)),
  size: param(wholeNumber(1, 100).pipe(z.literal(PAGE_SIZES))),
};

/** ?q=: free text, under the API's own rules (no U+0000, at most 100 characters, trimmed). */
export const searchParam = param(textInput().trim().min(1).max(100));

/** ?sort= and ?order= over the columns the API sorts by. */
export function sortSearch<const S extends readonly [string, ...string[]]>(sorts: S) {
  return { sort: param(z.enum(sorts)), order: param(z.enum(["asc", "desc"])) };
}

/** A UTC day (YYYY-MM-DD) from a date field. */
export const ZDaySchema = z.iso.date({ message: "must be a day (YYYY-MM-DD)" });

/** A provider's number (transaction id) as typed: kept as text in the URL, exact up to 2^53 − 1. */
export const ZProviderNumberSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, "must be a positive whole number")
  .refine((text) => Number(text) <= Number.MAX_SAFE_INTEGER, "is too large");

/** Days of the URL (UTC, both included) as the API's time range. */
export function dayRange(from: string | undefined, to: string | undefined) {
  return {
    from: from ? `${from}T00:00:00.000Z` : undefined,
    to: to ? `${to}T23:59:59.999Z` : undefined,
  };
}

/** What useList reads from a validated search object. */
export interface ListSearch {
  page?: number | undefined;
  cursor?: string | undefined;
  fromEnd?: number | undefined;
  size?: number | undefined;
  q?: string | undefined;
  sort?: string | undefined;
  order?: Order | undefined;
}

export interface SortSpec<S extends string> {
  /** The API's default sort and order, used when the URL has none (and then left out of it). */
  defaultSort: S;
  defaultOrder: Order;
  /** A column's order when its header is first clicked. */
  firstOrder(sort: S): Order;
}

/** The paging part of a listing's input: a cursor, or an offset while the API gives no cursors. */
export interface PageInput {
  limit: number;
  offset?: number;
  cursor?: string;
}

export interface List<T extends ListSearch, S extends string = never> {
  /** The validated search object, as the route gave it. */
  search: T;
  page: number;
  limit: number;
  cursor: string | undefined;
  /** The page's place from the end (1: the last page) when it was reached from the end; else undefined. */
  fromEnd: number | undefined;
  /** `limit` with `cursor`, or `offset`: what the listing procedure takes. */
  pageInput: PageInput;
  /** ?q=, "" when absent. */
  q: string;
  sort: S;
  order: Order;
  /** Changes parameters; a change of anything but the page starts again at the first page. */
  set(changes: Partial<T>, options?: { replace?: boolean }): void;
  /** Goes to another page of the same view (nothing: the first page). */
  goTo(position: Partial<Position>, options?: { replace?: boolean }): void;
  /** Replaces the history entry, so typing does not fill Back with keystrokes. */
  setSearch(q: string): void;
  setLimit(limit: number): void;
  sortBy(sort: S, order: Order): void;
}

/** Drops what equals its default, so the URL carries only what differs. */
function compact(search: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(search).filter(([, v]) => v !== undefined && v !== "" && v !== false));
}

/**
 * The list state of the current route. `search` is the route's validated search (`route.useSearch()`),
 * `sorting` the list's sort spec when the API sorts it.
 */
export function useList<T extends ListSearch, S extends string = never>(search: T, sorting?: SortSpec<S>): List<T, S> {
  const navigate = useNavigate();

  const update = useCallback(
    (next: (prev: Record<string, unknown>) => Record<string, unknown>, replace?: boolean) =>
      // The route's validateSearch checks the result again: nothing unchecked reaches the URL.
      void navigate({ to: ".", search: ((prev: Record<string, unknown>) => compact(next(prev))) as never, replace }),
    [navigate],
  );

  return useMemo(() => {
    const limit = search.size ?? DEFAULT_PAGE_SIZE;
    const cursor = search.cursor;
    const fromEnd = cursor ? (search.fromEnd ?? (cursor === LAST_PAGE ? 1 : undefined)) : undefined;
    const page = cursor ? (search.page ?? 1) : Math.min(search.page ?? 1, Math.floor(MAX_OFFSET / limit) + 1);
    const sort = (search.sort ?? sorting?.defaultSort) as S;
    const order: Order =
      search.order ??
      (!sorting ? "desc" : sort === sorting.defaultSort ? sorting.defaultOrder : sorting.firstOrder(sort));
    const restart = { page: undefined, cursor: undefined, fromEnd: undefined };
    return {
      search,
      page,
      limit,
      cursor,
      fromEnd,
      pageInput: cursor ? { limit, cursor } : { limit, offset: (page - 1) * limit },
      q: search.q ?? "",
      sort,
      order,
      set: (changes, options) => update((prev) => ({ ...prev, ...restart, ...changes }), options?.replace),
      goTo: (position, options) => update((prev) => ({ ...prev, ...restart, ...position }), options?.replace),
      setSearch: (q) => update((prev) => ({ ...prev, ...restart, q: q || undefined }), true),
      setLimit: (size) =>
        update((prev) => ({ ...prev, ...restart, size: size === DEFAULT_PAGE_SIZE ? undefined : size })),
      sortBy: (nextSort, nextOrder) => {
        const isDefault = nextSort === sorting?.defaultSort && nextOrder === sorting.defaultOrder;
        update((prev) => ({
          ...prev,
          ...restart,
          sort: isDefault ? undefined : nextSort,
          order: isDefault ? undefined : nextOrder,
        }));
      },
    };
  }, [search, sorting, update]);
}

/** A page of any listing, as every listing procedure answers (pageOf in packages/contracts). */
export interface Page<T> {
  items: readonly T[];
  total: number;
  totalIsEstimate: boolean;
  limit: number;
  offset: number;
  nextCursor: string | null;
  prevCursor: string | null;
}

export interface Position {
  page: number | undefined;
  cursor: string | undefined;
  fromEnd: number | undefined;
}

/** Where a list's page is: what pageMoves and pageText read. */
export interface PagePlace {
  page: number;
  cursor: string | undefined;
  fromEnd?: number | undefined;
  limit: number;
}

/** The first page, read afresh: nothing in the URL. */
const FIRST: Position = { page: undefined, cursor: undefined, fromEnd: undefined };
/** The last page, read afresh: `cursor=last`. */
const LAST: Position = { page: undefined, cursor: LAST_PAGE, fromEnd: undefined };

/**
 * Where "First", "Previous", "Next" and "Last" go from this page: by the page's cursors when the API
 * gives them, else by offset while rows remain (a listing that gives no cursors). `null`: there is no
 * such page, this is the first (or the last) one. Page 1 is always the first page read afresh (no
 * cursor, no page in the URL); "Last" is `cursor=last`, and Previous from it counts pages from the end.
 */
export function pageMoves(
  list: PagePlace,
  data: Page<unknown>,
): { first: Position | null; previous: Position | null; next: Position | null; last: Position | null } {
  const { page, cursor, fromEnd, limit } = list;
  if (fromEnd !== undefined) {
    const previous = data.prevCursor ? { page: undefined, cursor: data.prevCursor, fromEnd: fromEnd + 1 } : null;
    const next = data.nextCursor ? { page: undefined, cursor: data.nextCursor, fromEnd: fromEnd - 1 } : null;
    return { first: previous && FIRST, previous, next, last: next && LAST };
  }
  const keyset = cursor !== undefined || data.nextCursor !== null || data.prevCursor !== null;
  const previous: Position | null =
    page <= 1
      ? // A cursor link without its page number (typed or shared by hand): back by the cursor.
        cursor !== undefined && data.prevCursor
        ? { page: undefined, cursor: data.prevCursor, fromEnd: undefined }
        : null
      : page === 2
        ? FIRST
        : data.prevCursor
          ? { page: page - 1, cursor: data.prevCursor, fromEnd: undefined }
          : { page: page - 1, cursor: undefined, fromEnd: undefined };
  let next: Position | null = null;
  if (data.nextCursor) next = { page: page + 1, cursor: data.nextCursor, fromEnd: undefined };
  else if (!keyset && data.items.length === limit && data.offset + data.items.length < data.total) {
    next = { page: page + 1, cursor: undefined, fromEnd: undefined };
  }
  return { first: previous && FIRST, previous, next, last: next && LAST };
}

/**
 * "Showing 21–40 of 57 users" and "Page 2 of 3" for this page. Pages counted from the end (Last, then
 * Previous) number their rows back from the total when it is exact; with an estimated total their row
 * numbers are unknown and they say where they are from the end instead.
 */
export function pageText(list: PagePlace, data: Page<unknown>, noun: string): { summary: string; place: string } {
  const n = data.items.length;
  const total = countText(data);
  const pages = Math.max(1, Math.ceil(data.total / list.limit));
  const about = data.totalIsEstimate ? "about " : "";
  const number = (value: number) => value.toLocaleString("en-US");
  if (n === 0) return { summary: `No ${noun}`, place: `Page ${number(list.page)} of ${about}${number(pages)}` };
  const { fromEnd } = list;
  if (fromEnd === undefined) {
    const first = (list.page - 1) * list.limit + 1;
    return {
      summary: `Showing ${number(first)}–${number(first + n - 1)} of ${total} ${noun}`,
      place: `Page ${number(list.page)} of ${about}${number(Math.max(pages, list.page))}`,
    };
  }
  if (data.totalIsEstimate) {
    return {
      summary: `Showing ${fromEnd === 1 ? "the last " : ""}${number(n)} of ${total} ${noun}`,
      place: `${fromEnd === 1 ? "Last page" : `Page ${number(fromEnd)} from the end`} of about ${number(pages)}`,
    };
  }
  // Rows inserted or deleted since the page was counted: never below row 1.
  const last = Math.max(n, data.total - (fromEnd - 1) * list.limit);
  return {
    summary: `Showing ${number(last - n + 1)}–${number(last)} of ${total} ${noun}`,
    place: `Page ${number(Math.max(1, pages - fromEnd + 1))} of ${number(pages)}`,
  };
}

/**
 * The last page there is, when `page` is past it (after deleting its last row, or from an old link):
 * known only for offset pages with an exact total; otherwise null.
 */
export function lastPageIfPast(list: { page: number; cursor: string | undefined; limit: number }, data: Page<unknown>) {
  if (list.cursor !== undefined || data.totalIsEstimate || data.items.length > 0 || list.page <= 1) return null;
  const last = Math.max(1, Math.ceil(data.total / list.limit));
  return list.page > last ? last : null;
}

/** "1,234" or "about 10,000,000". */
export function countText(page: Pick<Page<unknown>, "total" | "totalIsEstimate">): string {
  const n = page.total.toLocaleString("en-US");
  return page.totalIsEstimate ? `about ${n}` : n;
}

// The last view of each list (its search), so "Back" and "Cancel" on other pages return to it.
const lastView = new Map<string, ListSearch>();

/** Remembers the view of the list at `path` (useList's callers: ListView does it). */
export function rememberListView(path: string, search: ListSearch) {
  lastView.set(path, search);
}

/** The list at `path` as the user last saw it, or its first page: `search` of a Link to it. */
export function lastSearch<T extends ListSearch>(path: string): T {
  return (lastView.get(path) ?? {}) as T;
}
