// "Showing 21–40 of about 10,000,000 users", Previous / Next and the page size. Previous and Next follow
// the page's cursors (keyset paging: no row counted or skipped), or offsets while the API gives none
// (pageMoves in lib/list.ts); "about" when the API's total is an estimate.
import { useId } from "react";
import { type List, type ListSearch, PAGE_SIZES, type Page, countText, pageMoves } from "@/lib/list.ts";

export function Pager<T extends ListSearch, S extends string>({
  list,
  data,
  noun,
}: {
  list: List<T, S>;
  data: Page<unknown>;
  noun: string;
}) {
  const sizeId = useId();
  const { previous, next } = pageMoves(list, data);
  const first = (list.page - 1) * list.limit + 1;
  const last = first + data.items.length - 1;
  const pages = Math.max(1, Math.ceil(data.total / list.limit), list.page);
  const total = countText(data);
  return (
    <nav className="pagination" aria-label={`${noun} pages`}>
      <p className="pagination-summary" aria-live="polite">
        {data.items.length === 0 ? `No ${noun}` : `Showing ${first}–${last} of ${total} ${noun}`}
      </p>
      <div className="pagination-buttons">
        <label className="inline-select" htmlFor={sizeId}>
          Per page
        </label>
        <select
          id={sizeId}
          className="pagination-size"
          value={list.limit}
          onChange={(e) => list.setLimit(Number(e.target.value))}
        >
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
        <button type="button" className="button" disabled={!previous} onClick={() => previous && list.goTo(previous)}>
          <span aria-hidden="true">← </span>Previous
        </button>
        <span className="pagination-page">
          Page {list.page.toLocaleString("en-US")} of {data.totalIsEstimate ? "about " : ""}
          {pages.toLocaleString("en-US")}
        </span>
        <button type="button" className="button" disabled={!next} onClick={() => next && list.goTo(next)}>
          Next<span aria-hidden="true"> →</span>
        </button>
      </div>
    </nav>
  );
}
