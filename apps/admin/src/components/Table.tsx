// The frame of every data table: a scrolling wrapper that says when it is refreshing, a caption for
// screen readers, and sortable column headers that announce their order (aria-sort).
import type { ReactNode } from "react";
import type { Order } from "@/hooks/use-list-params.ts";

export function Table({
  caption,
  busy,
  className,
  children,
}: {
  caption: string;
  busy?: boolean;
  className: string;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap" aria-busy={busy}>
      <table className={`table ${className}`}>
        <caption className="visually-hidden">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

/** A column header that sorts by its column; `order` is set when the table is sorted by it. */
export function SortHeader({
  label,
  order,
  numeric,
  onSort,
}: {
  label: string;
  order: Order | undefined;
  numeric?: boolean;
  onSort(): void;
}) {
  return (
    <th
      scope="col"
      className={numeric ? "numeric" : undefined}
      aria-sort={order === undefined ? undefined : order === "asc" ? "ascending" : "descending"}
    >
      <button type="button" className={`sort${order ? " sort-active" : ""}`} onClick={onSort}>
        {label}
        <span className="sort-arrow" aria-hidden="true">
          {order === undefined ? "↕" : order === "asc" ? "▲" : "▼"}
        </span>
      </button>
    </th>
  );
}

/** The last header: a column of row actions, named for screen readers only. */
export function ActionsHeader() {
  return (
    <th scope="col" className="actions">
      <span className="visually-hidden">Actions</span>
    </th>
  );
}
