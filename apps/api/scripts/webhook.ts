// A payment provider simulator: signs a credit the way the provider does (with the service's own
// signWebhook) and sends it.
//   npm run webhook -- --user 1 --bill 42 --amount 100 [--tx 123] [--url http://localhost:3000] [--key …]
// The amount is sent as a JSON number written exactly as given (100, 100.0, 50.5), and signed as such.
import { randomInt } from "node:crypto";
import { parseArgs } from "node:util";
import { signWebhook } from "../src/services/payments.service.ts";

const { values } = parseArgs({
  options: {
    user: { type: "string" },
    bill: { type: "string" },
    amount: { type: "string" },
    tx: { type: "string" },
    url: { type: "string", default: process.env.API_URL ?? `http://localhost:${process.env.PORT ?? 3000}` },
    key: { type: "string", default: process.env.PAYMENT_PRIVATE_KEY ?? "test-private-key" },
  },
});

const integer = /^[1-9][0-9]*$/;
const amountText = /^[0-9]+(\.[0-9]+)?$/;
if (
  !values.user ||
  !integer.test(values.user) ||
  !values.bill ||
  !integer.test(values.bill) ||
  !values.amount ||
  !amountText.test(values.amount)
) {
  console.error(
    "usage: npm run webhook -- --user <user numericId> --bill <bill id> --amount <e.g. 100 or 50.5> [--tx <id>]",
  );
  process.exit(2);
}
const tx = values.tx ?? String(randomInt(1, 2 ** 47));
const signature = signWebhook(values.key, {
  transaction_id: tx,
  user_id: values.user,
  bill_id: values.bill,
  amount: values.amount,
});
// Built by hand so the amount's text is exactly what was signed.
const body = `{"signature": "${signature}", "transaction_id": ${tx}, "user_id": ${values.user}, "bill_id": ${values.bill}, "amount": ${values.amount}}`;

const response = await fetch(`${values.url}/payment/webhook`, {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body,
});
console.log(`POST /payment/webhook → ${response.status}`);
console.log(JSON.stringify(await response.json(), null, 2));
process.exit(response.ok ? 0 : 1);
