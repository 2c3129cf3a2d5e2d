import {
  ZCreateProductInputSchema,
  ZListProductsInputSchema,
  ZProductIdInputSchema,
  ZProductPageSchema,
  ZProductSchema,
  ZUpdateProductInputSchema,
} from "@shop/contracts";
import { createProduct, deleteProduct, getProduct, listProducts, updateProduct } from "../services/products.service.ts";
import { adminProcedure, authedProcedure, router } from "../trpc.ts";

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
    })
    .input(ZListProductsInputSchema)
    .output(ZProductPageSchema)
    .query(({ ctx, input }) => listProducts(ctx.db.sql, input, ctx.user)),

  // Registered before the /products/{id} routes: trpc-to-openapi matches paths in order.
  get: adminProcedure
    .meta({
      openapi: { method: "GET", path: "/products/{id}", protect: true, tags: ["admin"], summary: "Get a product" },
    })
    .input(ZProductIdInputSchema)
    .output(ZProductSchema)
    .query(({ ctx, input }) => getProduct(ctx.prisma, input.id, { includeDeleted: true })),

  create: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/products",
        protect: true,
        tags: ["admin"],
        summary: "Create a product",
        successDescription: "Created (status 201)",
      },
    })
    .input(ZCreateProductInputSchema)
    .output(ZProductSchema)
    .mutation(async ({ ctx, input }) => {
      const product = await createProduct(ctx.prisma, input);
      ctx.response.status = 201;
      return product;
    }),

  update: adminProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/products/{id}",
        protect: true,
        tags: ["admin"],
        summary: "Edit a product",
        description: "Any subset of title, description, price.",
      },
    })
    .input(ZUpdateProductInputSchema)
    .output(ZProductSchema)
    .mutation(({ ctx, input }) => updateProduct(ctx.prisma, input)),

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
    })
    .input(ZProductIdInputSchema)
    .output(ZProductSchema)
    .mutation(({ ctx, input }) => deleteProduct(ctx.prisma, input.id)),
});
