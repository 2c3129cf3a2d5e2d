import type {
  TProduct,
  ZCreateProductInputSchema,
  ZListProductsInputSchema,
  ZUpdateProductInputSchema,
} from "@shop/contracts";
import type { Prisma, PrismaClient } from "@shop/db";
import type { z } from "zod";
import { AppError } from "../errors.ts";
import { escapeLike } from "./mappers.ts";

const productSelect = {
  id: true,
  title: true,
  description: true,
  price: true,
  createdAt: true,
  updatedAt: true,
  deletedAt: true,
} satisfies Prisma.ProductSelect;

function toProduct(p: Prisma.ProductGetPayload<{ select: typeof productSelect }>): TProduct {
  return {
    ...p,
    price: p.price.toFixed(2),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    deletedAt: p.deletedAt?.toISOString() ?? null,
  };
}

type ListInput = z.output<typeof ZListProductsInputSchema>;

export async function listProducts(prisma: PrismaClient, input: ListInput, viewer: { isAdmin: boolean }) {
  if (input.includeDeleted && !viewer.isAdmin) {
    throw new AppError("FORBIDDEN", "Only administrators may list deleted products");
  }
  const search = input.search ? escapeLike(input.search) : undefined;
  const where: Prisma.ProductWhereInput = {
    ...(input.includeDeleted ? {} : { deletedAt: null }),
    ...(search
      ? {
          OR: [
            { title: { contains: search, mode: "insensitive" } },
            { description: { contains: search, mode: "insensitive" } },
          ],
        }
      : {}),
  };
  const [rows, total] = await Promise.all([
    prisma.product.findMany({
      where,
      select: productSelect,
      orderBy: [{ [input.sort]: input.order }, { id: "asc" }],
      take: input.limit,
      skip: input.offset,
    }),
    prisma.product.count({ where }),
  ]);
  return { items: rows.map(toProduct), total, limit: input.limit, offset: input.offset };
}

export async function getProduct(prisma: PrismaClient, id: string, options: { includeDeleted: boolean }) {
  const product = await prisma.product.findUnique({ where: { id }, select: productSelect });
  if (!product || (product.deletedAt && !options.includeDeleted)) throw new AppError("NOT_FOUND", "Product not found");
  return toProduct(product);
}

export async function createProduct(prisma: PrismaClient, input: z.output<typeof ZCreateProductInputSchema>) {
  const product = await prisma.product.create({ data: input, select: productSelect });
  return toProduct(product);
}

export async function updateProduct(prisma: PrismaClient, input: z.output<typeof ZUpdateProductInputSchema>) {
  const { id, ...changes } = input;
  const { count } = await prisma.product.updateMany({ where: { id, deletedAt: null }, data: changes });
  if (count === 0) throw new AppError("NOT_FOUND", "Product not found");
  return getProduct(prisma, id, { includeDeleted: false });
}

/** Soft delete: purchases keep pointing at the product and keep their own title and price. */
export async function deleteProduct(prisma: PrismaClient, id: string) {
  const { count } = await prisma.product.updateMany({
    where: { id, deletedAt: null },
    data: { deletedAt: new Date() },
  });
  if (count === 0) throw new AppError("NOT_FOUND", "Product not found");
  return getProduct(prisma, id, { includeDeleted: true });
}
