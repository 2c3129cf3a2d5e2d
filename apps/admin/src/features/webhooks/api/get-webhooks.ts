// The webhook inbox (GET /webhooks, GET /webhooks/{id}): every call the payment provider made, with its
// verdict; the list's URL parameters (?outcome=invalid_signature&tx=123&from=2026-11-01, validated by the
// /webhooks route) and queries.
import { WEBHOOK_OUTCOMES } from "@shop/contracts";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { type List, ZDaySchema, ZProviderNumberSchema, dayRange, pageSearch, param } from "@/lib/list.ts";
import { type RouterInputs, type RouterOutputs, trpc } from "@/lib/trpc.ts";

export type WebhookDelivery = RouterOutputs["webhooks"]["get"];
type Outcome = NonNullable<RouterInputs["webhooks"]["list"]["outcome"]>;

export const ZWebhooksSearchSchema = z.object({
  ...pageSearch,
  outcome: param(z.enum(WEBHOOK_OUTCOMES)),
  tx: param(ZProviderNumberSchema),
  from: param(ZDaySchema),
  to: param(ZDaySchema),
});
export type WebhooksSearch = z.output<typeof ZWebhooksSearchSchema>;

/** What each verdict means, in words. */
export const OUTCOME_LABEL: Record<Outcome, string> = {
  credited: "Credited",
  already_processed: "Already processed (replay)",
  invalid_signature: "Refused: invalid signature",
  invalid_body: "Refused: invalid body",
  unknown_user: "Refused: unknown user",
  bill_of_other_user: "Refused: bill of another user",
  transaction_conflict: "Refused: transaction id reused with another payload",
  rate_limited: "Refused: rate limited",
  server_error: "Failed: server error",
};

export function useWebhooks(list: List<WebhooksSearch>) {
  const { outcome, tx, from, to } = list.search;
  return useQuery(
    trpc.webhooks.list.queryOptions(
      { ...list.pageInput, outcome, transactionId: tx ? Number(tx) : undefined, ...dayRange(from, to) },
      { placeholderData: keepPreviousData },
    ),
  );
}

export function useWebhook(id: string) {
  return useQuery(trpc.webhooks.get.queryOptions({ id }));
}

/**
 * The ledger entry of a call: the credit it made (by the entry's id), or for a call that credited
 * nothing, the credit its provider transaction id already has (what a replay repeated), if any.
 */
export function useLedgerEntryOf(delivery: WebhookDelivery | undefined) {
  const filter = delivery?.ledgerEntryId
    ? { id: delivery.ledgerEntryId }
    : delivery?.transactionId
      ? { transactionId: delivery.transactionId, kind: "credit" as const }
      : undefined;
  return useQuery(
    trpc.transactions.list.queryOptions({ limit: 1, offset: 0, ...filter }, { enabled: filter !== undefined }),
  );
}
