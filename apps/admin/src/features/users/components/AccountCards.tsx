// A user's accounts with their balances, and the exact total when there are several.
import { Empty } from "@/components/States.tsx";
import type { ReactNode } from "react";
import { money, sumMoney } from "@/lib/format.ts";
import type { UserDetail } from "@/features/users/api/get-user.ts";

/** `actions`: what the page offers on each account (Adjust balance). */
export function AccountCards({
  accounts,
  actions,
}: {
  accounts: UserDetail["accounts"];
  actions?: (account: UserDetail["accounts"][number]) => ReactNode;
}) {
  if (accounts.length === 0) {
    return (
      <Empty title="No accounts yet">
        <p>An account is opened by the first payment credited to this user.</p>
      </Empty>
    );
  }
  return (
    <div className="accounts">
      {accounts.map((account) => (
        <div key={account.id} className="account-card" data-account={account.numericId}>
          <span className="account-label">Account #{account.numericId}</span>
          <span className="account-balance money">{money(account.balance)}</span>
          {actions ? <span className="account-actions">{actions(account)}</span> : null}
        </div>
      ))}
      {accounts.length > 1 ? (
        <div className="account-card account-total">
          <span className="account-label">Total</span>
          <span className="account-balance money">{money(sumMoney(accounts.map((a) => a.balance)))}</span>
        </div>
      ) : null}
    </div>
  );
}
