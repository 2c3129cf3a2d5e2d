// The webhook inbox (GET /webhooks, GET /webhooks/{id}): every call the payment provider made, with its
// verdict; the list's URL parameters (?outcome=invalid_signature&tx=123&from=2026-11-01) and queries.
import { WEBHOOK_OUTCOMES } from "@shop/contracts";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type ListParams, type ListSpec, usePageInRange } from "@/hooks/use-list-params.ts";
import { type RouterInputs, type RouterOutputs, trpc } from "@/lib/trpc.ts";

export type WebhookDelivery = RouterOutputs["webhooks"]["get"];
type Outcome = NonNullable<RouterInputs["webhooks"]["list"]["outcome"]>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const WEBHOOKS_LIST = {
  defaultPageSize: 20,
  filters: { outcome: WEBHOOK_OUTCOMES, tx: /^[1-9][0-9]{0,15}$/, from: DAY, to: DAY },
} as const satisfies ListSpec<never, "outcome" | "tx" | "from" | "to">;

export type WebhooksListParams = ListParams<never, keyof typeof WEBHOOKS_LIST.filters>;

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

export function useWebhooks(list: WebhooksListParams) {
  const { outcome, tx, from, to } = list.filters;
  const query = useQuery(
    trpc.webhooks.list.queryOptions(
      {
        limit: list.limit,
        offset: list.offset,
        outcome: (outcome || undefined) as Outcome | undefined,
        transactionId: tx ? Number(tx) : undefined,
        from: from ? `${from}T00:00:00.000Z` : undefined,
        to: to ? `${to}T23:59:59.999Z` : undefined,
      },
      { placeholderData: keepPreviousData },
    ),
  );
  usePageInRange(list, query);
  return query;
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
