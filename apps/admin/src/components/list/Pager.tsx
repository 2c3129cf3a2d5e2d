// "Showing 21–40 of about 10,000,000 users", First / Previous / Next / Last and the page size. The moves
// follow the page's cursors (keyset paging: no row counted or skipped), or offsets while the API gives
// none; Last is the listing's `cursor=last` (pageMoves in lib/list.ts). First and Previous are off on
// the first page, Next and Last on the last; "about" when the API's total is an estimate.
import { useId } from "react";
import { type List, type ListSearch, PAGE_SIZES, type Page, type Position, pageMoves, pageText } from "@/lib/list.ts";

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
  const moves = pageMoves(list, data);
  const { summary, place } = pageText(list, data, noun);
  const move = (to: Position | null, label: string, arrow: { before?: string; after?: string }) => (
    <button type="button" className="button" disabled={!to} onClick={() => to && list.goTo(to)}>
      {arrow.before ? <span aria-hidden="true">{arrow.before} </span> : null}
      {label}
      {arrow.after ? <span aria-hidden="true"> {arrow.after}</span> : null}
    </button>
  );
  return (
    <nav className="pagination" aria-label={`${noun} pages`}>
      <p className="pagination-summary" aria-live="polite">
        {summary}
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
        {move(moves.first, "First", { before: "⇤" })}
        {move(moves.previous, "Previous", { before: "←" })}
        <span className="pagination-page">{place}</span>
        {move(moves.next, "Next", { after: "→" })}
        {move(moves.last, "Last", { after: "⇥" })}
      </div>
    </nav>
  );
}
