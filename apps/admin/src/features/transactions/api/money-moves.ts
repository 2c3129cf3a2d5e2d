// Refunds and adjustments, each sent with its dialog's Idempotency-Key (a retry never moves money twice).
// Each success writes the account's new balance into the cached user at once,
// then fetches again what it changed: the ledger lists, the users (balances, histories), the dashboard.
import { useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import type { AppCode } from "@/lib/errors.ts";
import { type MutationCallbacks, type RouterInputs, type RouterOutputs, trpc, trpcClient } from "@/lib/trpc.ts";

export type RefundInput = RouterInputs["transactions"]["refund"];
export type AdjustInput = RouterInputs["accounts"]["adjust"];
type Account = RouterOutputs["accounts"]["adjust"]["account"];

/** The refusals of a money move, in words (read from the appCode, never from the message). */
export const MONEY_REFUSALS: Partial<Record<AppCode, string>> = {
  REFUND_EXCEEDS_PURCHASE: "That is more than is left to refund on this purchase.",
  NOT_A_PURCHASE: "Only a purchase can be refunded.",
  INSUFFICIENT_FUNDS: "The account does not hold that much: a debit never overdraws it.",
  ACCOUNT_NOT_FOUND: "This account no longer exists.",
  TRANSACTION_NOT_FOUND: "This transaction does not exist.",
  HOLD_EXPIRED: "This authorization has expired: its money is released.",
  HOLD_NOT_AUTHORIZED: "This authorization is already captured or voided.",
  CAPTURE_EXCEEDS_HOLD: "That is more than the authorization holds.",
};

function afterMove(queryClient: QueryClient, account: Account) {
  queryClient.setQueriesData<{ accounts: Account[] }>(trpc.adminUsers.get.queryFilter(), (user) =>
    user && user.accounts.some((a) => a.id === account.id)
      ? { ...user, accounts: user.accounts.map((a) => (a.id === account.id ? account : a)) }
      : user,
  );
  void queryClient.invalidateQueries(trpc.transactions.pathFilter());
  void queryClient.invalidateQueries(trpc.adminUsers.pathFilter());
  void queryClient.invalidateQueries(trpc.stats.pathFilter());
  void queryClient.invalidateQueries(trpc.reconciliation.pathFilter());
  void queryClient.invalidateQueries(trpc.accounts.authorizations.pathFilter());
}

/** A move's input and the Idempotency-Key of the dialog that makes it (lib/idempotency.ts). */
type Keyed<T> = T & { idempotencyKey: string };

export function useRefund({
  onSuccess,
  onError,
}: MutationCallbacks<RouterOutputs["transactions"]["refund"], Keyed<RefundInput>> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: trpc.transactions.refund.mutationKey(),
    mutationFn: ({ idempotencyKey, ...input }: Keyed<RefundInput>) =>
      trpcClient.transactions.refund.mutate(input, { context: { idempotencyKey } }),
    onSuccess: (result, input) => {
      afterMove(queryClient, result.account);
      onSuccess?.(result, input);
    },
    onError: (error, input) => onError?.(error, input),
  });
}

export function useAdjust({
  onSuccess,
  onError,
}: MutationCallbacks<RouterOutputs["accounts"]["adjust"], Keyed<AdjustInput>> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: trpc.accounts.adjust.mutationKey(),
    mutationFn: ({ idempotencyKey, ...input }: Keyed<AdjustInput>) =>
      trpcClient.accounts.adjust.mutate(input, { context: { idempotencyKey } }),
    onSuccess: (result, input) => {
      afterMove(queryClient, result.account);
      onSuccess?.(result, input);
    },
    onError: (error, input) => onError?.(error, input),
  });
}

export type CaptureInput = RouterInputs["transactions"]["capture"];
export type VoidInput = RouterInputs["transactions"]["void"];

/** Capture (part of) an authorization: the purchase is posted, the rest of the hold released. */
export function useCapture({
  onSuccess,
  onError,
}: MutationCallbacks<RouterOutputs["transactions"]["capture"], Keyed<CaptureInput>> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: trpc.transactions.capture.mutationKey(),
    mutationFn: ({ idempotencyKey, ...input }: Keyed<CaptureInput>) =>
      trpcClient.transactions.capture.mutate(input, { context: { idempotencyKey } }),
    onSuccess: (result, input) => {
      afterMove(queryClient, result.account);
      onSuccess?.(result, input);
    },
    onError: (error, input) => onError?.(error, input),
  });
}

/** Void an authorization: the whole hold is released, nothing debited. */
export function useVoid({
  onSuccess,
  onError,
}: MutationCallbacks<RouterOutputs["transactions"]["void"], Keyed<VoidInput>> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: trpc.transactions.void.mutationKey(),
    mutationFn: ({ idempotencyKey, ...input }: Keyed<VoidInput>) =>
      trpcClient.transactions.void.mutate(input, { context: { idempotencyKey } }),
    onSuccess: (result, input) => {
      afterMove(queryClient, result.account);
      onSuccess?.(result, input);
    },
    onError: (error, input) => onError?.(error, input),
  });
}
