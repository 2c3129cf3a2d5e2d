import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { router } from "../trpc.ts";
import { accountsRouter } from "./accounts.router.ts";
import { adminUsersRouter } from "./admin-users.router.ts";
import { apiKeysRouter } from "./api-keys.router.ts";
import { auditRouter } from "./audit.router.ts";
import { authRouter } from "./auth.router.ts";
import { meRouter } from "./me.router.ts";
import { paymentsRouter } from "./payments.router.ts";
import { productsRouter } from "./products.router.ts";
import { reconciliationRouter } from "./reconciliation.router.ts";
import { statementsRouter } from "./statements.router.ts";
import { statsRouter } from "./stats.router.ts";
import { transactionsRouter } from "./transactions.router.ts";
import { webhooksRouter } from "./webhooks.router.ts";
import { eventsRouter } from "./events.router.ts";
import { webhookEndpointsRouter } from "./webhook-endpoints.router.ts";

// REST: trpc-to-openapi answers a request with the FIRST registered procedure whose path matches, so
// static paths that a templated one also matches come first (/users/me before /users/{id}). The test
// test/rest-routes.int.test.ts proves every documented path reaches its own procedure.
export const appRouter = router({
  auth: authRouter,
  me: meRouter,
  products: productsRouter,
  payments: paymentsRouter,
  adminUsers: adminUsersRouter,
  transactions: transactionsRouter,
  accounts: accountsRouter,
  webhooks: webhooksRouter,
  audit: auditRouter,
  stats: statsRouter,
  reconciliation: reconciliationRouter,
  apiKeys: apiKeysRouter,
  statements: statementsRouter,
  events: eventsRouter,
  webhookEndpoints: webhookEndpointsRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
