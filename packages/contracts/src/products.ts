import { z } from "zod";
import {
  textInput,
  ZBoolParamSchema,
  ZPageInputSchema,
  ZSearchSchema,
  ZTimestampSchema,
  ZUuidSchema,
  pageOf,
} from "./common.ts";
import { ZAmountInputSchema, ZMoneySchema } from "./money.ts";

export const ZProductSchema = z.object({
  id: ZUuidSchema,
  title: z.string(),
  description: z.string(),
  price: ZMoneySchema,
  createdAt: ZTimestampSchema,
  updatedAt: ZTimestampSchema,
  deletedAt: ZTimestampSchema.nullable(),
});
export type TProduct = z.infer<typeof ZProductSchema>;

export const PRODUCT_SORTS = ["createdAt", "title", "price"] as const;

export const ZListProductsInputSchema = ZPageInputSchema.extend({
  search: ZSearchSchema,
  sort: z.enum(PRODUCT_SORTS).default("createdAt"),
  order: z.enum(["asc", "desc"]).default("desc"),
  /** Admins only: include soft-deleted products. */
  includeDeleted: ZBoolParamSchema.default(false),
});
export type TListProductsInput = z.input<typeof ZListProductsInputSchema>;
export const ZProductPageSchema = pageOf(ZProductSchema);

export const ZProductTitleSchema = textInput().trim().min(1, "is required").max(200, "must be at most 200 characters");
export const ZProductDescriptionSchema = textInput({ multiline: true })
  .trim()
  .max(5000, "must be at most 5000 characters");

export const ZCreateProductInputSchema = z.object({
  title: ZProductTitleSchema,
  description: ZProductDescriptionSchema.default(""),
  price: ZAmountInputSchema,
});
export type TCreateProductInput = z.input<typeof ZCreateProductInputSchema>;

export const ZProductIdInputSchema = z.object({ id: ZUuidSchema });

export const ZUpdateProductInputSchema = z
  .object({
    id: ZUuidSchema,
    title: ZProductTitleSchema.optional(),
    description: ZProductDescriptionSchema.optional(),
    price: ZAmountInputSchema.optional(),
  })
  .refine((v) => v.title !== undefined || v.description !== undefined || v.price !== undefined, {
    message: "give at least one of title, description, price",
  });
export type TUpdateProductInput = z.input<typeof ZUpdateProductInputSchema>;
