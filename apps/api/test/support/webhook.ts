// The tests' own webhook signer. It is deliberately independent of the service's `signWebhook`
// (apps/api/src/services/payments.service.ts): written from the provider's formula, so the tests check
// the service against that formula (and against fixtures/webhook-vectors.json, signed by the provider's
// reference code), not against itself. Production scripts (the simulator, the walkthrough, the bench)
// sign with the service's function instead.
import { createHash, randomInt } from "node:crypto";

let nextProviderId = randomInt(1, 2 ** 40);
/** A fresh provider id (transaction_id or bill_id), unique within this process. */
export function providerId(): number {
  nextProviderId += 1;
  return nextProviderId;
}

/** sha1("{key}:{transaction_id}:{user_id}:{bill_id}:{amount}") as hex, each field as written. */
export function signature(
  key: string,
  tx: number | string,
  user: number | string,
  bill: number | string,
  amount: string,
): string {
  return createHash("sha1").update(`${key}:${tx}:${user}:${bill}:${amount}`, "utf8").digest("hex");
}

/**
 * A webhook body as the provider writes it, signed with `key`: the amount as a bare JSON number text
 * (exactly the text that was signed), or as a JSON string.
 */
export function webhookText(
  key: string,
  p: { tx: number; user: number; bill: number; amount: string; amountAsString?: boolean },
): string {
  const sig = signature(key, p.tx, p.user, p.bill, p.amount);
  const amount = p.amountAsString ? JSON.stringify(p.amount) : p.amount;
  return `{"signature":"${sig}","transaction_id":${p.tx},"user_id":${p.user},"bill_id":${p.bill},"amount":${amount}}`;
}
