import {
  formatMoney,
  PRODUCT_SORTS,
  type TProduct,
  type ZCreateProductInputSchema,
  type ZListProductsInputSchema,
  type ZUpdateProductInputSchema,
} from "@shop/contracts";
import { type Prisma, type PrismaClient, type SqlClient, statement } from "@shop/db";
import type { z } from "zod";
import { AppError } from "../errors.ts";
import { escapeLike, queryPage } from "./mappers.ts";

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

interface ProductRow {
  id: string;
  title: string;
  description: string;
  price: string;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  /** Rows matching the filter, before LIMIT/OFFSET. */
  total: number;
}

const SORT_COLUMNS = { createdAt: "created_at", title: "title", price: "price" } as const;

/** Which products a listing shows: $1 include deleted, $2 an ILIKE pattern or NULL. */
const FILTER = `($1::bool OR deleted_at IS NULL)
            AND ($2::text IS NULL OR title ILIKE $2::text OR description ILIKE $2::text)`;

/**
 * The product list, one prepared statement per sort column and direction (the only parts that cannot
 * be parameters; ORDER BY names the table's columns, not the text output columns of the same name):
 * FILTER's $1 and $2, then $3 limit, $4 offset. The total comes from the same statement: an uncorrelated
 * sub-select, counted once (a window count would read and sort every matching row for one page).
 */
const listStatements = new Map(
  PRODUCT_SORTS.flatMap((sort) =>
    (["asc", "desc"] as const).map((order) => [
      `${sort}.${order}`,
      statement<ProductRow>(
        `products.list.${sort}.${order}`,
        `SELECT id::text, title, description, price::text, created_at, updated_at, deleted_at,
                (SELECT count(*) FROM products WHERE ${FILTER})::int4 AS total
           FROM products p
          WHERE ${FILTER}
          ORDER BY p.${SORT_COLUMNS[sort]} ${order}, p.id ASC
          LIMIT $3::int4 OFFSET $4::int4`,
      ),
    ]),
  ),
);

/** The total alone, for a page past the end (no row to carry it). */
const countStatement = statement<{ total: number }>(
  "products.count",
  `SELECT count(*)::int4 AS total FROM products WHERE ${FILTER}`,
);

const rowToProduct = (row: ProductRow): TProduct => ({
  id: row.id,
  title: row.title,
  description: row.description,
  price: formatMoney(row.price),
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  deletedAt: row.deleted_at?.toISOString() ?? null,
});

export async function listProducts(sql: SqlClient, input: ListInput, viewer: { isAdmin: boolean }) {
  if (input.includeDeleted && !viewer.isAdmin) {
    throw new AppError("FORBIDDEN", "Only administrators may list deleted products");
  }
  const { rows, ...rest } = await queryPage(
    sql,
    { page: listStatements.get(`${input.sort}.${input.order}`)!, count: countStatement },
    [input.includeDeleted, input.search ? `%${escapeLike(input.search)}%` : null],
    input,
  );
  return { items: rows.map(rowToProduct), ...rest };
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
