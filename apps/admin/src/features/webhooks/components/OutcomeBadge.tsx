import { OUTCOME_LABEL, type WebhookDelivery } from "@/features/webhooks/api/get-webhooks.ts";

export function OutcomeBadge({ outcome }: { outcome: WebhookDelivery["outcome"] }) {
  const tone =
    outcome === "credited" ? "badge-success" : outcome === "already_processed" ? "badge-neutral" : "badge-danger";
  return <span className={`badge ${tone}`}>{OUTCOME_LABEL[outcome]}</span>;
}
