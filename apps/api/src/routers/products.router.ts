import {
  ZBuyInputSchema,
  ZBuyOutputSchema,
  ZCreateProductInputSchema,
  ZIdempotencyKeySchema,
  ZListProductsInputSchema,
  ZProductIdInputSchema,
  ZProductPageSchema,
  ZProductSchema,
  ZUpdateProductInputSchema,
} from "@shop/contracts";
import { z } from "zod";
import { AppError } from "../errors.ts";
import {
  createProduct,
  deleteProduct,
  getProduct,
  listProducts,
  restoreProduct,
  updateProduct,
} from "../services/products.service.ts";
import { buyProduct } from "../services/purchases.service.ts";
import { adminProcedure, answered, authedProcedure, router } from "../trpc.ts";

/** The Idempotency-Key header, checked: a bad one is the client's mistake (400), not a 500. */
export function idempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const parsed = ZIdempotencyKeySchema.safeParse(header);
  if (!parsed.success) {
    throw new AppError(
      "INVALID_IDEMPOTENCY_KEY",
      `Invalid Idempotency-Key header: ${parsed.error.issues[0]?.message ?? "invalid"}`,
    );
  }
  return parsed.data;
}

export const productsRouter = router({
  list: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/products",
        protect: true,
        tags: ["products"],
        summary: "List products",
        description: "Any signed-in user. Admins may add includeDeleted=true.",
      },
      appErrors: ["ADMIN_ONLY"],
    })
    .input(ZListProductsInputSchema)
    .output(ZProductPageSchema)
    .query(({ ctx, input }) => listProducts(ctx, input, ctx.user)),

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
          "Send an Idempotency-Key header to make retries safe: the same key with the same product and account " +
          "answers the first answer again (replayed: true, header Idempotent-Replayed: true); with another " +
          "product or account, 409 IDEMPOTENCY_KEY_REUSED.",
        requestHeaders: z.object({ "idempotency-key": ZIdempotencyKeySchema.optional() }),
      },
      idempotent: true,
      money: "purchase",
      appErrors: ["INSUFFICIENT_FUNDS", "PRODUCT_NOT_FOUND", "ACCOUNT_NOT_FOUND", "ACCOUNT_CHANGED_RETRY"],
    })
    .input(ZBuyInputSchema)
    .output(ZBuyOutputSchema)
    .mutation(async ({ ctx, input }) =>
      answered(
        ctx,
        await buyProduct(ctx, { ...input, userId: ctx.user.id, idempotencyKey: idempotencyKey(ctx.idempotencyKey) }),
      ),
    ),

  get: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/products/{id}",
        protect: true,
        tags: ["admin"],
        summary: "Get a product",
        description: "Administrators only; soft-deleted products too (with their deletedAt).",
      },
      appErrors: ["PRODUCT_NOT_FOUND"],
    })
    .input(ZProductIdInputSchema)
    .output(ZProductSchema)
    .query(({ ctx, input }) => getProduct(ctx, input.id)),

  create: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/products",
        protect: true,
        tags: ["admin"],
        summary: "Create a product",
        description: "Administrators only. The price is exact: a number or a string with at most two decimals.",
        successDescription: "Created (status 201)",
      },
      created: true,
    })
    .input(ZCreateProductInputSchema)
    .output(ZProductSchema)
    .mutation(({ ctx, input }) => createProduct(ctx, input)),

  update: adminProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/products/{id}",
        protect: true,
        tags: ["admin"],
        summary: "Edit a product",
        description: "Any subset of title, description, price (at least one).",
      },
      appErrors: ["PRODUCT_NOT_FOUND"],
    })
    .input(ZUpdateProductInputSchema)
    .output(ZProductSchema)
    .mutation(({ ctx, input }) => updateProduct(ctx, input)),

  delete: adminProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/products/{id}",
        protect: true,
        tags: ["admin"],
        summary: "Delete a product",
        description: "Soft delete: purchase history keeps the product's title and price.",
      },
      appErrors: ["PRODUCT_NOT_FOUND"],
    })
    .input(ZProductIdInputSchema)
    .output(ZProductSchema)
    .mutation(({ ctx, input }) => deleteProduct(ctx, input.id)),

  restore: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/products/{id}/restore",
        protect: true,
        tags: ["admin"],
        summary: "Restore a deleted product",
        description: "Restoring a live product changes nothing (not even updatedAt).",
      },
      appErrors: ["PRODUCT_NOT_FOUND"],
    })
    .input(ZProductIdInputSchema)
    .output(ZProductSchema)
    .mutation(({ ctx, input }) => restoreProduct(ctx, input.id)),
});
