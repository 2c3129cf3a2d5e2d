// The state of every list page — page, page size, search, sort, order and its filters — kept in the
// query string (?q=tea&sort=price&order=asc&page=2&size=10&deleted=1), so a link or a reload shows the
// same view and Back goes to the previous one. Each list page describes its parameters once (a
// ListSpec) and reads and changes them only through useListParams.
import { useCallback, useEffect, useMemo } from "react";
import { useLocation, useSearchParams } from "@/lib/router.tsx";

export type Order = "asc" | "desc";

export interface ListSpec<S extends string = never, F extends string = never> {
  /** Page sizes a user may choose (?size=); the default size is left out of the URL. */
  pageSizes?: readonly number[];
  defaultPageSize: number;
  /** Sortable columns (?sort=), the default one, and each column's default order (?order=). */
  sorts?: readonly S[];
  defaultSort?: S;
  defaultOrder?: (sort: S) => Order;
  /**
   * Filters and the values each may take (a list, or a pattern for free values such as ids and dates);
   * any other value (or none) reads as "".
   */
  filters?: { readonly [K in F]: readonly string[] | RegExp };
}

export interface ListParams<S extends string = never, F extends string = never> {
  /** 1-based, within the offsets the API accepts. */
  page: number;
  limit: number;
  offset: number;
  /** ?q=, trimmed; "" when absent. */
  search: string;
  sort: S;
  order: Order;
  filters: { readonly [K in F]: string };
  setPage(page: number, options?: { replace?: boolean }): void;
  setLimit(limit: number): void;
  /** Replaces the history entry (typing does not fill Back with keystrokes); back to page 1. */
  setSearch(search: string): void;
  setFilter(name: F, value: string): void;
  /** Several filters at once (one history entry); back to page 1. */
  setFilters(values: Partial<Record<F, string>>): void;
  /** The same column again flips the order; another column starts with `firstOrder`. */
  sortBy(sort: S, firstOrder: Order): void;
  /** Search and filters removed, back to page 1. */
  clear(): void;
}

/** The API takes offsets up to 1,000,000 (ZPageInputSchema). */
const MAX_OFFSET = 1_000_000;

/** A positive whole number from the query string, or the fallback. */
function positiveInt(text: string | null, fallback: number): number {
  if (!text || !/^[1-9][0-9]{0,6}$/.test(text)) return fallback;
  return Number(text);
}

/** `spec` is a module constant (it is compared by reference). */
export function useListParams<S extends string = never, F extends string = never>(
  spec: ListSpec<S, F>,
): ListParams<S, F> {
  const { path, fullPath } = useLocation();
  const [search, update] = useSearchParams();

  // "Back" and "Cancel" on other pages return to this view of the list (listPath).
  useEffect(() => rememberList(path, fullPath), [path, fullPath]);

  const state = useMemo(() => {
    const { pageSizes = [spec.defaultPageSize], defaultPageSize, sorts = [], defaultSort, defaultOrder } = spec;
    const limit = pageSizes.find((s) => s === positiveInt(search.get("size"), defaultPageSize)) ?? defaultPageSize;
    const sortText = search.get("sort");
    const sort = (sorts.find((s) => s === sortText) ?? defaultSort) as S;
    const orderText = search.get("order");
    const order: Order =
      orderText === "asc" || orderText === "desc"
        ? orderText
        : sort === undefined
          ? "desc"
          : (defaultOrder?.(sort) ?? "asc");
    const page = Math.min(positiveInt(search.get("page"), 1), Math.floor(MAX_OFFSET / limit) + 1);
    const filters = Object.fromEntries(
      Object.entries<readonly string[] | RegExp>(spec.filters ?? {}).map(([name, allowed]) => {
        const value = search.get(name)?.trim() ?? "";
        const ok = allowed instanceof RegExp ? allowed.test(value) : allowed.includes(value);
        return [name, ok ? value : ""];
      }),
    ) as { [K in F]: string };
    const q = search.get("q")?.trim() ?? "";
    return { page, limit, offset: (page - 1) * limit, search: q, sort, order, filters };
  }, [search, spec]);

  const setPage = useCallback(
    (page: number, options?: { replace?: boolean }) => update({ page: page === 1 ? undefined : String(page) }, options),
    [update],
  );
  const setLimit = useCallback(
    (limit: number) => update({ size: limit === spec.defaultPageSize ? undefined : String(limit), page: undefined }),
    [update, spec.defaultPageSize],
  );
  const setSearch = useCallback((q: string) => update({ q, page: undefined }, { replace: true }), [update]);
  const setFilter = useCallback((name: F, value: string) => update({ [name]: value, page: undefined }), [update]);
  const setFilters = useCallback(
    (values: Partial<Record<F, string>>) => update({ ...(values as Record<string, string>), page: undefined }),
    [update],
  );
  const sortBy = useCallback(
    (sort: S, firstOrder: Order) => {
      const order = state.sort === sort ? (state.order === "asc" ? "desc" : "asc") : firstOrder;
      update({ sort, order, page: undefined });
    },
    [update, state.sort, state.order],
  );
  const clear = useCallback(
    () =>
      update({
        q: undefined,
        page: undefined,
        ...Object.fromEntries(Object.keys(spec.filters ?? {}).map((name) => [name, undefined])),
      }),
    [update, spec.filters],
  );

  return { ...state, setPage, setLimit, setSearch, setFilter, setFilters, sortBy, clear };
}

/**
 * A page past the end (after deleting its last row, or from an old link) goes to the last page, once
 * the list's own answer (not the previous page's, kept on screen meanwhile) gives the total.
 */
export function usePageInRange(
  list: Pick<ListParams<string, string>, "page" | "limit" | "setPage">,
  query: { data?: { total: number } | undefined; isPlaceholderData: boolean },
) {
  const total = query.data?.total;
  const { page, limit, setPage } = list;
  useEffect(() => {
    if (total === undefined || query.isPlaceholderData) return;
    const pages = Math.max(1, Math.ceil(total / limit));
    if (page > pages) setPage(pages, { replace: true });
  }, [total, page, limit, query.isPlaceholderData, setPage]);
}

// The last view of each list (its query string), so "Back" and "Cancel" return to it.
const lastView = new Map<string, string>();

function rememberList(path: string, fullPath: string) {
  lastView.set(path, fullPath);
}

/** The list at `path` as the user last saw it ("/products?q=tea&page=2"), or its first page. */
export function listPath(path: string): string {
  return lastView.get(path) ?? path;
}
