// The columns of a page of ledger entries — the whole ledger's (with each entry's user) or one user's
// history (the `owner`'s): when, what, which way the money went, the balance after, and a Refund on each
// purchase. Rendered by the one DataTable (ListView).
import { Link } from "@tanstack/react-router";
import { ActionsHeader, type Columns, columnsOf } from "@/components/list/DataTable.tsx";
import { dateTime, money } from "@/lib/format.ts";
import type { LedgerTransaction } from "@/features/transactions/api/get-transactions.ts";
import type { Transaction } from "@/features/users/api/get-user-transactions.ts";
import { RefundButton } from "./MoneyMoveDialog.tsx";

const KIND_LABEL = { credit: "Credit", purchase: "Purchase", refund: "Refund", adjustment: "Adjustment" } as const;
const KIND_BADGE = {
  credit: "badge-success",
  purchase: "badge-neutral",
  refund: "badge-info",
  adjustment: "badge-info",
};

/** An entry of the whole ledger (its user named), or of a user's history (the owner). */
export type Entry = LedgerTransaction | Transaction;

function details(t: Entry) {
  if (t.kind === "credit") return <span className="muted">Payment #{t.transactionId}</span>;
  if (t.kind === "purchase") {
    const refunded = t.refundedAmount && t.refundedAmount !== "0.00" ? ` · ${money(t.refundedAmount)} refunded` : "";
    return (
      <>
        {t.productTitle ?? <span className="muted">Product</span>}
        {refunded ? <span className="muted small">{refunded}</span> : null}
      </>
    );
  }
  return (
    <>
      {t.productTitle ? `${t.productTitle} · ` : null}
      <span className="muted">{t.reason}</span>
    </>
  );
}

const column = columnsOf<Entry>();

/** The ledger's columns; with an `owner` (a user's history) no User column: every entry is theirs. */
export function ledgerColumns(owner?: { login: string }): Columns<Entry> {
  return [
    column.accessor("createdAt", {
      header: "Date",
      meta: { className: "nowrap" },
      cell: ({ getValue }) => <time dateTime={getValue()}>{dateTime(getValue())}</time>,
    }),
    column.accessor("kind", {
      header: "Type",
      cell: ({ row: { original: t } }) => <span className={`badge ${KIND_BADGE[t.kind]}`}>{KIND_LABEL[t.kind]}</span>,
    }),
    ...(owner
      ? []
      : [
          column.display({
            id: "user",
            header: "User",
            cell: ({ row: { original: t } }) =>
              "userId" in t ? (
                <Link to="/users/$id" params={{ id: t.userId }}>
                  {t.userLogin}
                </Link>
              ) : null,
          }),
        ]),
    column.display({ id: "details", header: "Details", cell: ({ row }) => details(row.original) }),
    column.display({
      id: "account",
      header: "Account",
      meta: { className: "muted" },
      cell: ({ row: { original: t } }) => (
        <Link to="/transactions" search={{ account: t.accountId }}>
          #{t.accountNumericId}
        </Link>
      ),
    }),
    column.display({
      id: "amount",
      header: "Amount",
      meta: { className: "numeric money" },
      cell: ({ row: { original: t } }) => (
        <span className={t.direction === "in" ? "amount-in" : "amount-out"}>
          {t.direction === "in" ? "+" : "−"}
          {money(t.amount)}
        </span>
      ),
    }),
    column.accessor("balanceAfter", {
      header: "Balance after",
      meta: { className: "numeric money" },
      cell: ({ getValue }) => money(getValue()),
    }),
    column.display({
      id: "actions",
      header: ActionsHeader,
      meta: { className: "actions" },
      cell: ({ row: { original: t } }) =>
        t.kind === "purchase" ? (
          <RefundButton purchase={{ ...t, userLogin: owner?.login ?? ("userLogin" in t ? t.userLogin : "") }} />
        ) : null,
    }),
  ];
}

/** A ledger row's attributes: its id (a link can point at it) and kind. */
export function ledgerRowProps(t: Entry) {
  return { id: `tx-${t.id}`, "data-kind": t.kind };
}
