// The catalogue: any signed-in user lists it; administrators read deleted products and write.
import type {
  TProduct,
  ZCreateProductInputSchema,
  ZListProductsInputSchema,
  ZUpdateProductInputSchema,
} from "@shop/contracts";
import type { z } from "zod";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import type { AuthUser } from "../repositories/users.repository.ts";
import { productsRepository } from "../repositories/products.repository.ts";

const notFound = () => new AppError("PRODUCT_NOT_FOUND", "Product not found");

export function listProducts({ db }: Deps, input: z.output<typeof ZListProductsInputSchema>, viewer: AuthUser) {
  if (input.includeDeleted && !viewer.isAdmin) {
    throw new AppError("ADMIN_ONLY", "Only administrators may list deleted products");
  }
  return productsRepository(db).list(input);
}

/** A product, deleted ones included (the admin's view). */
export async function getProduct({ db }: Deps, id: string): Promise<TProduct> {
  return (await productsRepository(db).byId(id)) ?? throwError(notFound());
}

export function createProduct({ db }: Deps, input: z.output<typeof ZCreateProductInputSchema>) {
  return productsRepository(db).insert(input);
}

export async function updateProduct({ db }: Deps, input: z.output<typeof ZUpdateProductInputSchema>) {
  const { id, ...changes } = input;
  return (await productsRepository(db).update(id, changes)) ?? throwError(notFound());
}

/** Soft delete: purchases keep pointing at the product and keep their own title and price. */
export async function deleteProduct({ db }: Deps, id: string) {
  return (await productsRepository(db).softDelete(id)) ?? throwError(notFound());
}

function throwError(error: Error): never {
  throw error;
}
