// Every data table of the SPA: columns and rows are data (TanStack Table, headless), this component
// the one markup for them — a scrolling frame that says when it is refreshing, a caption for screen
// readers, sortable headers that announce their order (aria-sort), and each cell labelled for the
// narrow-screen card layout (data-label). Sorting is the server's (manualSorting): a header click
// changes the URL through `onSort`, and the rows come back sorted.
import {
  type CellData,
  type ColumnDef,
  type RowData,
  type TableFeatures,
  type SortingState,
  type Updater,
  createColumnHelper,
  rowSortingFeature,
  tableFeatures,
  useTable,
} from "@tanstack/react-table";
import type { HTMLAttributes } from "react";
import type { Order, SortSpec } from "@/lib/list.ts";

declare module "@tanstack/table-core" {
  // The declaration must repeat the library's type parameters, used or not.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<in out TFeatures extends TableFeatures, in out TData extends RowData, TValue extends CellData> {
    /** The cell's label on a narrow screen (the header's text by default). */
    label?: string;
    /** Set on the header and every cell of the column: "numeric", "actions", "nowrap"… */
    className?: string;
  }
}

export const tableFeaturesOfLists = tableFeatures({ rowSortingFeature });
type Features = typeof tableFeaturesOfLists;

/** Column definitions for rows of type T: `columnsOf<Product>().accessor("price", {…})`. */
export function columnsOf<T extends RowData>() {
  return createColumnHelper<Features, T>();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of columns of mixed value types
export type Columns<T extends RowData> = ColumnDef<Features, T, any>[];

/** Columns sort only when they say so (`enableSorting: true`, with the API's sort key as their id). */
const defaultColumn = { enableSorting: false };

export function DataTable<T extends { id: string }>({
  columns,
  rows,
  caption,
  className,
  busy,
  sort,
  onSort,
  rowProps,
}: {
  columns: Columns<T>;
  rows: readonly T[];
  caption: string;
  className: string;
  busy?: boolean;
  /** The column (its id) the rows are sorted by, and the order; none for an unsorted list. */
  sort?: { id: string; order: Order } | undefined;
  onSort?: (id: string, order: Order) => void;
  /** Attributes of a row's <tr> (a class, data-* for tests and styles). */
  rowProps?: (row: T) => HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string>;
}) {
  const sorting: SortingState = sort ? [{ id: sort.id, desc: sort.order === "desc" }] : [];
  const table = useTable({
    features: tableFeaturesOfLists,
    columns,
    data: rows as T[],
    getRowId: (row) => row.id,
    defaultColumn,
    state: { sorting },
    onSortingChange: (updater: Updater<SortingState>) => {
      const [next] = typeof updater === "function" ? updater(sorting) : updater;
      if (next && onSort) onSort(next.id, next.desc ? "desc" : "asc");
    },
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
  });

  return (
    <div className="table-wrap" aria-busy={busy}>
      <table className={`table ${className}`}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const { column } = header;
                const sorted = column.getIsSorted();
                const meta = column.columnDef.meta;
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className={meta?.className}
                    aria-sort={sorted === false ? undefined : sorted === "asc" ? "ascending" : "descending"}
                  >
                    {column.getCanSort() ? (
                      <button
                        type="button"
                        className={`sort${sorted ? " sort-active" : ""}`}
                        onClick={column.getToggleSortingHandler()}
                      >
                        <table.FlexRender header={header} />
                        <span className="sort-arrow" aria-hidden="true">
                          {sorted === false ? "↕" : sorted === "asc" ? "▲" : "▼"}
                        </span>
                      </button>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} {...rowProps?.(row.original)}>
              {row.getAllCells().map((cell) => {
                const { columnDef } = cell.column;
                const label = columnDef.meta?.label ?? (typeof columnDef.header === "string" ? columnDef.header : "");
                return (
                  <td key={cell.id} data-label={label || undefined} className={columnDef.meta?.className}>
                    <table.FlexRender cell={cell} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The header of a column of row actions: named for screen readers only. */
export function ActionsHeader() {
  return <span className="visually-hidden">Actions</span>;
}

/** A column the API sorts by (its id is the API's sort key): its first click sorts in the spec's order. */
export function sortableBy<S extends string>(spec: SortSpec<S>, sort: S) {
  return { id: sort, enableSorting: true, sortDescFirst: spec.firstOrder(sort) === "desc" } as const;
}
