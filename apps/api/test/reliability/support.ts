// The reliability suites' shared machinery, one module per concern:
//   ./figures.ts      RELIABILITY_SECONDS, the engine, the one-line JSON summary
//   ./api-server.ts   API server child processes (on ../support/processes.ts)
//   ./invariants.ts   the money invariants and the tally-equals-ledger check
//   ./load.ts         users, accounts, products and the mixed load with its tally
//   ../support/       the HTTP client, ports and processes, the webhook signer, money in cents
// This index re-exports them for suites written against the former single module.
export * from "./api-server.ts";
export * from "./figures.ts";
export * from "./invariants.ts";
export * from "./load.ts";
export { type Reply, type SendOptions, send } from "../support/http.ts";
export { cents } from "../support/money.ts";
export { freePort } from "../support/processes.ts";
export { signature as signWebhookText, webhookText } from "../support/webhook.ts";
export { setTimeout as sleep } from "node:timers/promises";
