// Refund a purchase, or adjust an account's balance: a confirmation dialog that names the amount and
// the customer, with the amount and the reason (checked with the contracts' schemas) inside it. The body
// is rendered only while open, so a closed dialog leaves no second copy of a balance in the page. Each
// opening makes an Idempotency-Key that every try of that move carries (a double click, a retry after
// no answer): the API applies the move once (lib/idempotency.ts says when a key is renewed).
import { ZAmountInputSchema, ZReasonSchema, centsToMoney, formatMoney, moneyToCents } from "@shop/contracts";
import { type ReactNode, useState } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import { z } from "zod";
import { ConfirmDialog } from "@/components/ConfirmDialog.tsx";
import { Field } from "@/components/Field.tsx";
import { useToast } from "@/components/Toasts.tsx";
import { appCode, errorMessage } from "@/lib/errors.ts";
import { useZodForm } from "@/lib/form.ts";
import { money } from "@/lib/format.ts";
import { useIdempotencyKey } from "@/lib/idempotency.ts";
import { MONEY_REFUSALS, useAdjust, useRefund } from "@/features/transactions/api/money-moves.ts";

const refusal = (error: unknown) => {
  const code = appCode(error);
  // Another try of this very move (same key) is still being applied: its answer decides.
  if ((code as string | undefined) === "IDEMPOTENCY_KEY_IN_USE")
    return "It is still being applied: try again in a moment.";
  return (code && MONEY_REFUSALS[code]) ?? errorMessage(error);
};

/** "12.5" → "12.50" for a title; what cannot be read stays as typed. */
const shown = (text: string) => {
  try {
    return money(formatMoney(text.trim()));
  } catch {
    return text.trim() || "…";
  }
};

/** A field of the dialog's form: what react-hook-form registers and its error sentence. */
interface DialogField {
  registration: UseFormRegisterReturn;
  error: string | undefined;
}

/**
 * The dialog both money moves open: what the move is about, any fields of its own (`before`), then the
 * amount and the reason. Its body exists only while open.
 */
function MoneyMoveDialog({
  open,
  title,
  confirmLabel,
  tone,
  intro,
  before,
  amount,
  amountHint,
  reason,
  busy,
  onCancel,
  onConfirm,
}: {
  open: boolean;
  title: string;
  confirmLabel: string;
  tone: "danger" | "primary";
  intro: ReactNode;
  before?: ReactNode;
  amount: DialogField;
  amountHint?: string;
  reason: DialogField;
  /** A try is on its way: the confirm button waits for its answer. */
  busy: boolean;
  onCancel(): void;
  onConfirm(): void;
}) {
  return (
    <ConfirmDialog
      open={open}
      busy={busy}
      title={title}
      confirmLabel={confirmLabel}
      tone={tone}
      onCancel={onCancel}
      onConfirm={onConfirm}
    >
      {open ? (
        <>
          <p>{intro}</p>
          <form className="form" onSubmit={(e) => e.preventDefault()} noValidate>
            {before}
            <Field label="Amount" error={amount.error} hint={amountHint} required>
              {(props) => <input {...props} {...amount.registration} inputMode="decimal" className="input-money" />}
            </Field>
            <Field label="Reason" error={reason.error} hint="3–500 characters, kept in the ledger" required>
              {(props) => <textarea {...props} {...reason.registration} rows={2} />}
            </Field>
          </form>
        </>
      ) : null}
    </ConfirmDialog>
  );
}

const ZRefundFormSchema = z.object({ amount: ZAmountInputSchema, reason: ZReasonSchema });

export function RefundButton({
  purchase,
}: {
  purchase: {
    id: string;
    amount: string;
    refundedAmount: string | null;
    userLogin: string;
    productTitle: string | null;
  };
}) {
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const left = centsToMoney(moneyToCents(purchase.amount) - moneyToCents(purchase.refundedAmount ?? "0.00"));
  const form = useZodForm(ZRefundFormSchema, {
    defaultValues: { amount: left, reason: "" },
    labels: { amount: "Amount", reason: "Reason" },
  });
  const key = useIdempotencyKey();
  const refund = useRefund({
    onSuccess: (result) => {
      setOpen(false);
      form.reset({ amount: "", reason: "" });
      toast.success(`Refunded ${money(result.refund.amount)} to ${purchase.userLogin}`);
    },
    onError: (error) => {
      key.settle(error);
      if (!form.showServerIssues(error)) toast.error(`Could not refund: ${refusal(error)}`);
    },
  });
  if (left === "0.00") return <span className="muted small">Refunded</span>;
  const amount = String(form.watch("amount") ?? "");

  return (
    <>
      <button
        type="button"
        className="button button-small button-danger-quiet"
        onClick={() => {
          form.reset({ amount: left, reason: "" });
          key.renew();
          setOpen(true);
        }}
        disabled={refund.isPending}
      >
        Refund
        <span className="visually-hidden">
          {" "}
          {purchase.productTitle ?? "purchase"} of {purchase.userLogin}
        </span>
      </button>
      <MoneyMoveDialog
        open={open}
        title={`Refund ${shown(amount)} to ${purchase.userLogin}?`}
        confirmLabel={refund.isPending ? "Refunding…" : "Refund"}
        tone="danger"
        intro={
          <>
            {purchase.productTitle ?? "A purchase"} for {money(purchase.amount)}; {money(left)} can still be refunded.
            The money goes back to the account it was paid from.
          </>
        }
        amount={{ registration: form.register("amount"), error: form.fieldError("amount") }}
        amountHint={`At most ${money(left)}`}
        reason={{ registration: form.register("reason"), error: form.fieldError("reason") }}
        onCancel={() => setOpen(false)}
        busy={refund.isPending}
        onConfirm={() =>
          key.once((idempotencyKey) =>
            form.handleSubmit((values) => refund.mutateAsync({ id: purchase.id, ...values, idempotencyKey }))(),
          )
        }
      />
    </>
  );
}

const ZAdjustFormSchema = z.object({
  direction: z.enum(["credit", "debit"]),
  amount: ZAmountInputSchema,
  reason: ZReasonSchema,
});

export function AdjustBalanceButton({
  account,
  login,
}: {
  account: { id: string; numericId: number; balance: string };
  login: string;
}) {
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const form = useZodForm(ZAdjustFormSchema, {
    defaultValues: { direction: "credit", amount: "", reason: "" },
    labels: { direction: "Direction", amount: "Amount", reason: "Reason" },
  });
  const key = useIdempotencyKey();
  const adjust = useAdjust({
    onSuccess: (result) => {
      setOpen(false);
      toast.success(`Account #${account.numericId} of ${login} now holds ${money(result.account.balance)}`);
    },
    onError: (error) => {
      key.settle(error);
      if (!form.showServerIssues(error)) toast.error(`Could not adjust the balance: ${refusal(error)}`);
    },
  });
  const direction = form.watch("direction");
  const amount = String(form.watch("amount") ?? "");

  return (
    <>
      <button
        type="button"
        className="button button-small"
        onClick={() => {
          form.reset({ direction: "credit", amount: "", reason: "" });
          key.renew();
          setOpen(true);
        }}
        disabled={adjust.isPending}
      >
        Adjust balance<span className="visually-hidden"> of account #{account.numericId}</span>
      </button>
      <MoneyMoveDialog
        open={open}
        title={`${direction === "debit" ? "Debit" : "Credit"} ${shown(amount)} ${direction === "debit" ? "from" : "to"} ${login}?`}
        confirmLabel={adjust.isPending ? "Saving…" : direction === "debit" ? "Debit" : "Credit"}
        tone={direction === "debit" ? "danger" : "primary"}
        intro={
          <>
            Account #{account.numericId} holds {money(account.balance)}. A correction is a new ledger entry; nothing is
            edited.
          </>
        }
        before={
          <fieldset className="field">
            <legend>Direction</legend>
            <label className="checkbox">
              <input type="radio" value="credit" {...form.register("direction")} /> Credit (add money)
            </label>
            <label className="checkbox">
              <input type="radio" value="debit" {...form.register("direction")} /> Debit (take money)
            </label>
          </fieldset>
        }
        amount={{ registration: form.register("amount"), error: form.fieldError("amount") }}
        reason={{ registration: form.register("reason"), error: form.fieldError("reason") }}
        onCancel={() => setOpen(false)}
        busy={adjust.isPending}
        onConfirm={() =>
          key.once((idempotencyKey) =>
            form.handleSubmit((values) => adjust.mutateAsync({ id: account.id, ...values, idempotencyKey }))(),
          )
        }
      />
    </>
  );
}
