import {
  ZBuyInputSchema,
  ZBuyOutputSchema,
  ZListTransactionsInputSchema,
  ZMeSchema,
  ZTransactionPageSchema,
  ZWebhookInputSchema,
  ZWebhookOutputSchema,
} from "@shop/contracts";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { listTransactions } from "../services/mappers.ts";
import { handleWebhook } from "../services/payments.service.ts";
import { buyProduct } from "../services/purchases.service.ts";
import { getMe } from "../services/users.service.ts";
import { authedProcedure, publicProcedure, router } from "../trpc.ts";

const ZIdempotencyKeySchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, "Idempotency-Key must be printable ASCII without spaces");

export const walletRouter = router({
  me: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/users/me",
        protect: true,
        tags: ["wallet"],
        summary: "Me: accounts, balances and recent transactions",
      },
    })
    .input(z.void())
    .output(ZMeSchema)
    .query(({ ctx }) => getMe(ctx.db, ctx.user.id)),

  transactions: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/users/me/transactions",
        protect: true,
        tags: ["wallet"],
        summary: "My full transaction history (paginated, newest first)",
      },
    })
    .input(ZListTransactionsInputSchema)
    .output(ZTransactionPageSchema)
    .query(({ ctx, input }) =>
      listTransactions(ctx.db.sql, { userId: ctx.user.id, accountId: input.accountId }, input),
    ),

  buy: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/products/buy",
        protect: true,
        tags: ["wallet"],
        summary: "Buy a product with one of my accounts",
        description:
          "Debits the account only if its balance covers the price (402 otherwise). " +
          "Send an Idempotency-Key header to make retries safe: a repeated key returns the first result.",
        requestHeaders: z.object({ "idempotency-key": ZIdempotencyKeySchema.optional() }),
        errorResponses: {
          400: "Invalid input",
          401: "Missing, invalid or expired token",
          402: "Insufficient funds",
          403: "Account disabled",
          404: "Product or account not found",
          409: "Idempotency-Key reused",
          500: "Internal server error",
        },
      },
    })
    .input(ZBuyInputSchema)
    .output(ZBuyOutputSchema)
    .mutation(({ ctx, input }) => {
      // A bad header is the client's mistake (400): a bare .parse() here would surface as a 500.
      let key: string | undefined;
      if (ctx.idempotencyKey !== undefined) {
        const parsed = ZIdempotencyKeySchema.safeParse(ctx.idempotencyKey);
        if (!parsed.success) {
          throw new TRPCError({
            code: "BAD_REQUEST",
            message: `Invalid Idempotency-Key header: ${parsed.error.issues[0]?.message ?? "invalid"}`,
          });
        }
        key = parsed.data;
      }
      return buyProduct(ctx.db, { ...input, userId: ctx.user.id, idempotencyKey: key });
    }),

  webhook: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/payment/webhook",
        protect: false,
        tags: ["payments"],
        summary: "Payment provider: credit an account",
        description:
          'signature = sha1("{PAYMENT_PRIVATE_KEY}:{transaction_id}:{user_id}:{bill_id}:{amount}") with the amount ' +
          "as written in the body. An unknown bill_id creates the account. A repeated transaction_id with the same " +
          "payload answers 200 with the original outcome and credits nothing.",
        errorResponses: {
          400: "Invalid body",
          403: "Invalid signature",
          404: "Unknown user_id",
          409: "bill_id owned by another user, or transaction_id reused with another payload",
          500: "Internal server error",
        },
      },
    })
    .input(ZWebhookInputSchema)
    .output(ZWebhookOutputSchema)
    .mutation(({ ctx, input }) => handleWebhook(ctx.db, ctx.config.paymentPrivateKey, input)),
});
