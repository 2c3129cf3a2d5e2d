// An account's live authorizations (two-phase purchases' holds) with Capture and Void. Each dialog makes
// its Idempotency-Key when it opens (lib/idempotency.ts), as the refund and adjustment dialogs do: a double
// click or a retry after no answer captures or voids once.
import { ZAmountInputSchema, formatMoney } from "@shop/contracts";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { ConfirmDialog } from "@/components/ConfirmDialog.tsx";
import { Field } from "@/components/Field.tsx";
import { useToast } from "@/components/Toasts.tsx";
import { appCode, errorMessage } from "@/lib/errors.ts";
import { useZodForm } from "@/lib/form.ts";
import { money } from "@/lib/format.ts";
import { useIdempotencyKey } from "@/lib/idempotency.ts";
import { type RouterOutputs, trpc } from "@/lib/trpc.ts";
import { MONEY_REFUSALS, useCapture, useVoid } from "@/features/transactions/api/money-moves.ts";

type Authorization = RouterOutputs["accounts"]["authorizations"]["items"][number];

const refusal = (error: unknown) => {
  const code = appCode(error);
  if ((code as string | undefined) === "IDEMPOTENCY_KEY_IN_USE")
    return "It is still being applied: try again in a moment.";
  return (code && MONEY_REFUSALS[code]) ?? errorMessage(error);
};

/** The live authorizations of one account, with Capture and Void; nothing when there are none. */
export function AccountAuthorizations({ account }: { account: { id: string; numericId: number } }) {
  const query = useQuery(trpc.accounts.authorizations.queryOptions({ id: account.id, status: "authorized" }));
  const items = query.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <div className="table-wrap">
      <table className="table" data-testid={`authorizations-${account.numericId}`}>
        <caption>Authorizations holding money on account #{account.numericId}</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col" className="numeric">
              Held
            </th>
            <th scope="col">Expires</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id} data-authorization={a.id}>
              <td>{a.productTitle}</td>
              <td className="numeric money">{money(a.amount)}</td>
              <td>{new Date(a.expiresAt).toLocaleString()}</td>
              <td>
                <CaptureButton authorization={a} /> <VoidButton authorization={a} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const ZCaptureFormSchema = z.object({ amount: z.union([z.literal(""), ZAmountInputSchema]) });

function CaptureButton({ authorization }: { authorization: Authorization }) {
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const form = useZodForm(ZCaptureFormSchema, { defaultValues: { amount: "" }, labels: { amount: "Amount" } });
  const key = useIdempotencyKey();
  const capture = useCapture({
    onSuccess: (result) => {
      setOpen(false);
      toast.success(`Captured ${money(result.purchase.amount)} of ${authorization.productTitle}`);
    },
    onError: (error) => {
      key.settle(error);
      if (!form.showServerIssues(error)) toast.error(`Could not capture: ${refusal(error)}`);
    },
  });
  const typed = String(form.watch("amount") ?? "").trim();
  let shown = money(authorization.amount);
  try {
    if (typed) shown = money(formatMoney(typed));
  } catch {
    shown = typed;
  }
  return (
    <>
      <button
        type="button"
        className="button button-small"
        onClick={() => {
          form.reset({ amount: "" });
          key.renew();
          setOpen(true);
        }}
        disabled={capture.isPending}
      >
        Capture<span className="visually-hidden"> {authorization.productTitle}</span>
      </button>
      <ConfirmDialog
        open={open}
        busy={capture.isPending}
        title={`Capture ${shown} of ${authorization.productTitle}?`}
        confirmLabel={capture.isPending ? "Capturing…" : "Capture"}
        tone="primary"
        onCancel={() => setOpen(false)}
        onConfirm={() =>
          key.once((idempotencyKey) =>
            form.handleSubmit((values) =>
              capture.mutateAsync({
                id: authorization.id,
                ...(values.amount ? { amount: values.amount } : {}),
                idempotencyKey,
              }),
            )(),
          )
        }
      >
        {open ? (
          <>
            <p>
              {money(authorization.amount)} is held until {new Date(authorization.expiresAt).toLocaleString()}. The
              capture posts the purchase to the ledger; the rest of the hold is released.
            </p>
            <form className="form" onSubmit={(e) => e.preventDefault()} noValidate>
              <Field
                label="Amount"
                error={form.fieldError("amount")}
                hint={`Empty: all of it (${money(authorization.amount)}); at most that`}
              >
                {(props) => (
                  <input {...props} {...form.register("amount")} inputMode="decimal" className="input-money" />
                )}
              </Field>
            </form>
          </>
        ) : null}
      </ConfirmDialog>
    </>
  );
}

function VoidButton({ authorization }: { authorization: Authorization }) {
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const key = useIdempotencyKey();
  const voidHold = useVoid({
    onSuccess: () => {
      setOpen(false);
      toast.success(`Released ${money(authorization.amount)} held for ${authorization.productTitle}`);
    },
    onError: (error) => {
      key.settle(error);
      toast.error(`Could not void: ${refusal(error)}`);
    },
  });
  return (
    <>
      <button
        type="button"
        className="button button-small button-danger-quiet"
        onClick={() => {
          key.renew();
          setOpen(true);
        }}
        disabled={voidHold.isPending}
      >
        Void<span className="visually-hidden"> {authorization.productTitle}</span>
      </button>
      <ConfirmDialog
        open={open}
        busy={voidHold.isPending}
        title={`Void the authorization of ${money(authorization.amount)}?`}
        confirmLabel={voidHold.isPending ? "Voiding…" : "Void"}
        tone="danger"
        onCancel={() => setOpen(false)}
        onConfirm={() => key.once((idempotencyKey) => voidHold.mutateAsync({ id: authorization.id, idempotencyKey }))}
      >
        {open ? (
          <p>
            {authorization.productTitle}: the {money(authorization.amount)} held is released; nothing is debited.
          </p>
        ) : null}
      </ConfirmDialog>
    </>
  );
}
