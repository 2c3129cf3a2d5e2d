// An optimistic cache update: every cached query a filter matches is changed at once, and the one
// function returned puts back what was there (when the server refuses the change).
import type { QueryClient, QueryFilters, QueryKey } from "@tanstack/react-query";

export interface Patch {
  filter: QueryFilters;
  update(data: unknown, key: QueryKey): unknown;
}

/** A patch of the queries `filter` matches, whose data are `T` (e.g. a page of products). */
export function patch<T>(filter: QueryFilters, update: (data: T, key: QueryKey) => T): Patch {
  return { filter, update: (data, key) => update(data as T, key) };
}

export async function patchQueries(queryClient: QueryClient, patches: readonly Patch[]): Promise<() => void> {
  // No answer already on its way may overwrite the change.
  await Promise.all(patches.map(({ filter }) => queryClient.cancelQueries(filter)));
  const saved = patches.flatMap(({ filter }) => queryClient.getQueriesData(filter));
  for (const { filter, update } of patches) {
    for (const [key, data] of queryClient.getQueriesData(filter)) {
      if (data !== undefined) queryClient.setQueryData(key, update(data, key));
    }
  }
  return () => {
    for (const [key, data] of saved) queryClient.setQueryData(key, data);
  };
}

/** The procedure input inside a tRPC query key: [path, { input, type }]. */
export function inputOf(key: QueryKey): unknown {
  const meta = key[1];
  return typeof meta === "object" && meta !== null && "input" in meta ? meta.input : undefined;
}
