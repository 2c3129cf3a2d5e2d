// One page of the whole ledger: who, what, which way the money went, and a Refund on each purchase.
import { ActionsHeader, Table } from "../../../components/Table.tsx";
import { dateTime, money } from "../../../lib/format.ts";
import { Link } from "../../../lib/router.tsx";
import type { LedgerTransaction } from "../api/get-transactions.ts";
import { RefundButton } from "./MoneyMoveDialog.tsx";

const KIND_LABEL = { credit: "Credit", purchase: "Purchase", refund: "Refund", adjustment: "Adjustment" } as const;
const KIND_BADGE = {
  credit: "badge-success",
  purchase: "badge-neutral",
  refund: "badge-info",
  adjustment: "badge-info",
};

function details(t: LedgerTransaction) {
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

export function LedgerTable({ transactions, busy }: { transactions: readonly LedgerTransaction[]; busy: boolean }) {
  return (
    <Table caption="Transactions of all users, newest first" busy={busy} className="table-ledger">
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">Type</th>
          <th scope="col">User</th>
          <th scope="col">Details</th>
          <th scope="col">Account</th>
          <th scope="col" className="numeric">
            Amount
          </th>
          <th scope="col" className="numeric">
            Balance after
          </th>
          <ActionsHeader />
        </tr>
      </thead>
      <tbody>
        {transactions.map((t) => (
          <tr key={t.id} id={`tx-${t.id}`} data-kind={t.kind}>
            <td data-label="Date" className="nowrap">
              <time dateTime={t.createdAt}>{dateTime(t.createdAt)}</time>
            </td>
            <td data-label="Type">
              <span className={`badge ${KIND_BADGE[t.kind]}`}>{KIND_LABEL[t.kind]}</span>
            </td>
            <td data-label="User">
              <Link to={`/users/${t.userId}`}>{t.userLogin}</Link>
            </td>
            <td data-label="Details">{details(t)}</td>
            <td data-label="Account" className="muted">
              <Link to={`/transactions?account=${t.accountId}`}>#{t.accountNumericId}</Link>
            </td>
            <td data-label="Amount" className={`numeric money ${t.direction === "in" ? "amount-in" : "amount-out"}`}>
              {t.direction === "in" ? "+" : "−"}
              {money(t.amount)}
            </td>
            <td data-label="Balance after" className="numeric money">
              {money(t.balanceAfter)}
            </td>
            <td className="actions">{t.kind === "purchase" ? <RefundButton purchase={t} /> : null}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
