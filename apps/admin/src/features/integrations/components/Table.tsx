// A plain table frame for this feature's small lists (a caption for screen readers, a busy flag): the
// endpoints, deliveries and events are not sortable listings, so they do not use the shared DataTable.
import type { ReactNode } from "react";

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
