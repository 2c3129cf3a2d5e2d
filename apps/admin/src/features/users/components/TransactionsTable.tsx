// One page of a user's history: credits from the payment provider and purchases, newest first.
import { Table } from "../../../components/Table.tsx";
import { dateTime, money } from "../../../lib/format.ts";
import type { Transaction } from "../api/get-user-transactions.ts";

const KIND_LABEL = { credit: "Credit", purchase: "Purchase", refund: "Refund", adjustment: "Adjustment" } as const;

export function TransactionsTable({
  transactions,
  login,
  busy,
}: {
  transactions: readonly Transaction[];
  login: string;
  busy: boolean;
}) {
  return (
    <Table caption={`Transactions of ${login}, newest first`} busy={busy} className="table-history">
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">Type</th>
          <th scope="col">Details</th>
          <th scope="col">Account</th>
          <th scope="col" className="numeric">
            Amount
          </th>
          <th scope="col" className="numeric">
            Balance after
          </th>
        </tr>
      </thead>
      <tbody>
        {transactions.map((t) => (
          <tr key={t.id}>
            <td data-label="Date" className="nowrap">
              <time dateTime={t.createdAt}>{dateTime(t.createdAt)}</time>
            </td>
            <td data-label="Type">
              <span className={`badge ${t.direction === "in" ? "badge-success" : "badge-neutral"}`}>
                {KIND_LABEL[t.kind]}
              </span>
            </td>
            <td data-label="Details">
              {t.kind === "credit" ? (
                <span className="muted">Payment #{t.transactionId}</span>
              ) : t.kind === "adjustment" ? (
                <span className="muted">{t.reason}</span>
              ) : (
                (t.productTitle ?? <span className="muted">Product</span>)
              )}
            </td>
            <td data-label="Account" className="muted">
              #{t.accountNumericId}
            </td>
            <td data-label="Amount" className={`numeric money ${t.direction === "in" ? "amount-in" : "amount-out"}`}>
              {t.direction === "in" ? "+" : "−"}
              {money(t.amount)}
            </td>
            <td data-label="Balance after" className="numeric money">
              {money(t.balanceAfter)}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
