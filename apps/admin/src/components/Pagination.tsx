// "Showing 21–40 of 57" with previous / next. Pages are 1-based in the URL.
interface Props {
  page: number;
  pageSize: number;
  total: number;
  noun: string;
  onPage(page: number): void;
}

export function Pagination({ page, pageSize, total, noun, onPage }: Props) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav className="pagination" aria-label={`${noun} pages`}>
      <p className="pagination-summary" aria-live="polite">
        {total === 0 ? `No ${noun}` : `Showing ${first}–${last} of ${total} ${noun}`}
      </p>
      <div className="pagination-buttons">
        <button type="button" className="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          <span aria-hidden="true">← </span>Previous
        </button>
        <span className="pagination-page">
          Page {Math.min(page, pages)} of {pages}
        </span>
        <button type="button" className="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
          Next<span aria-hidden="true"> →</span>
        </button>
      </div>
    </nav>
  );
}
