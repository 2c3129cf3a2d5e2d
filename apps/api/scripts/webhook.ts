// A payment provider simulator: signs a credit the way the provider does (with the service's own
// signWebhook) and sends it.
//   npm run webhook -- --user 1 --bill 42 --amount 100 [--tx 123] [--url http://localhost:3000] [--key …]
// The amount is sent as a JSON number written exactly as given (100, 100.0, 50.5), and signed as such.
import { randomInt } from "node:crypto";
import { parseArgs } from "node:util";
import { signWebhook } from "../src/services/payments.service.ts";

const USAGE = `usage: npm run webhook -- --user <user numericId> --bill <bill id> --amount <e.g. 100 or 50.5>
                           [--tx <transaction id>] [--url <API URL>] [--key <payment private key>]
  --user    the user's numericId (GET /users/me)
  --bill    the account's bill id: an unknown one creates the account
  --amount  the amount, sent and signed exactly as written (100, 100.0, 50.5)
  --tx      the provider's transaction id (default: random); repeat one to see a replay
  --url     the API (default: $API_URL or http://localhost:$PORT, port 3000)
  --key     the payment private key (default: $PAYMENT_PRIVATE_KEY or the development key)`;

function parse() {
  try {
    return parseArgs({
      options: {
        help: { type: "boolean", short: "h" },
        user: { type: "string" },
        bill: { type: "string" },
        amount: { type: "string" },
        tx: { type: "string" },
        url: { type: "string", default: process.env.API_URL ?? `http://localhost:${process.env.PORT ?? 3000}` },
        key: { type: "string", default: process.env.PAYMENT_PRIVATE_KEY ?? "test-private-key" },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}
const { values } = parse();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

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
  console.error(USAGE);
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
}).catch((error: unknown) => {
  console.error(
    `cannot reach ${values.url}: ${(error as Error).cause ?? (error as Error).message} (is the server running? --url)`,
  );
  process.exit(1);
});
console.log(`POST /payment/webhook → ${response.status}`);
console.log(JSON.stringify(await response.json(), null, 2));
process.exit(response.ok ? 0 : 1);
