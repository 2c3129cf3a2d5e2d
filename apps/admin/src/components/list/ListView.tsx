// The one list view every list page is made of: its filter bar, the states of its query (loading, an
// error with "Try again", empty), the table and the pager — all from data: the list's URL state
// (useList), its query, its filter fields and its columns. A page past the end of an offset listing
// (after deleting its last row, or an old link) moves to the last page.
import type { UseQueryResult } from "@tanstack/react-query";
import { useLocation } from "@tanstack/react-router";
import { type ReactNode, useEffect } from "react";
import { QueryState } from "@/components/States.tsx";
import { type List, type ListSearch, type Page, lastPageIfPast, rememberListView } from "@/lib/list.ts";
import { type Columns, DataTable } from "./DataTable.tsx";
import { FilterBar, type FilterField } from "./FilterBar.tsx";
import { Pager } from "./Pager.tsx";

export interface ListViewProps<T extends { id: string }, Q extends ListSearch, S extends string> {
  list: List<Q, S>;
  query: UseQueryResult<Page<T>, unknown>;
  columns: Columns<T>;
  filters?: readonly FilterField[];
  /** "products": in "Showing 1–20 of 57 products". */
  noun: string;
  /** For screen readers; says the order. */
  caption: string;
  className: string;
  loadingLabel: string;
  errorTitle: string;
  /** What an empty page shows. */
  empty: ReactNode;
  /** Keep the last rows on screen under a notice when a refresh fails (default), or show the error. */
  keepDataOnError?: boolean;
  /** When the API sorts the list: header clicks change ?sort= and ?order=. */
  sortable?: boolean;
  rowProps?: Parameters<typeof DataTable<T>>[0]["rowProps"];
}

export function ListView<T extends { id: string }, Q extends ListSearch, S extends string>({
  list,
  query,
  columns,
  filters,
  noun,
  caption,
  className,
  loadingLabel,
  errorTitle,
  empty,
  keepDataOnError,
  sortable,
  rowProps,
}: ListViewProps<T, Q, S>) {
  const { data, isPlaceholderData } = query;
  const path = useLocation({ select: (location) => location.pathname });
  useEffect(() => rememberListView(path, list.search), [path, list.search]);
  const last = data && !isPlaceholderData ? lastPageIfPast(list, data) : null;
  useEffect(() => {
    if (last !== null) list.goTo({ page: last === 1 ? undefined : last }, { replace: true });
  }, [last, list]);

  return (
    <>
      {filters ? <FilterBar list={list} fields={filters} /> : null}
      <QueryState
        query={query}
        loadingLabel={loadingLabel}
        errorTitle={errorTitle}
        // An empty page after the first (rows deleted meanwhile) keeps its way back.
        empty={
          <>
            {empty}
            {data && list.page > 1 ? <Pager list={list} data={data} noun={noun} /> : null}
          </>
        }
        keepDataOnError={keepDataOnError}
      >
        {(page) => (
          <>
            <DataTable
              columns={columns}
              rows={page.items}
              caption={caption}
              className={className}
              busy={query.isFetching}
              sort={sortable ? { id: list.sort, order: list.order } : undefined}
              onSort={sortable ? (id, order) => list.sortBy(id as S, order) : undefined}
              rowProps={rowProps}
            />
            <Pager list={list} data={page} noun={noun} />
          </>
        )}
      </QueryState>
    </>
  );
}
