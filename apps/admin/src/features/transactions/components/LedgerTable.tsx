// One page of ledger entries — the whole ledger's (with each entry's user) or one user's history (the
// `owner`'s) — what, which way the money went, the balance after, and a Refund on each purchase.
import { ActionsHeader, Table } from "@/components/Table.tsx";
import { dateTime, money } from "@/lib/format.ts";
import { Link } from "@/lib/router.tsx";
import type { Transaction } from "@/features/users/api/get-user-transactions.ts";
import type { LedgerTransaction } from "@/features/transactions/api/get-transactions.ts";
import { RefundButton } from "./MoneyMoveDialog.tsx";

const KIND_LABEL = { credit: "Credit", purchase: "Purchase", refund: "Refund", adjustment: "Adjustment" } as const;
const KIND_BADGE = {
  credit: "badge-success",
  purchase: "badge-neutral",
  refund: "badge-info",
  adjustment: "badge-info",
};

/** An entry of the whole ledger (its user named), or of a user's history (the owner). */
type Entry = LedgerTransaction | Transaction;

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

export function LedgerTable({
  transactions,
  busy,
  owner,
  caption = "Transactions of all users, newest first",
}: {
  transactions: readonly Entry[];
  busy: boolean;
  /** A user's history: no User column; every entry is theirs. */
  owner?: { login: string };
  caption?: string;
}) {
  return (
    <Table caption={caption} busy={busy} className={owner ? "table-history" : "table-ledger"}>
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">Type</th>
          {owner ? null : <th scope="col">User</th>}
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
        {transactions.map((t) => {
          const userLogin = owner?.login ?? ("userLogin" in t ? t.userLogin : "");
          return (
            <tr key={t.id} id={`tx-${t.id}`} data-kind={t.kind}>
              <td data-label="Date" className="nowrap">
                <time dateTime={t.createdAt}>{dateTime(t.createdAt)}</time>
              </td>
              <td data-label="Type">
                <span className={`badge ${KIND_BADGE[t.kind]}`}>{KIND_LABEL[t.kind]}</span>
              </td>
              {owner ? null : (
                <td data-label="User">{"userId" in t ? <Link to={`/users/${t.userId}`}>{t.userLogin}</Link> : null}</td>
              )}
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
              <td className="actions">
                {t.kind === "purchase" ? <RefundButton purchase={{ ...t, userLogin }} /> : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
