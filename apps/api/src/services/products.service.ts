// The catalogue: any signed-in user lists it; administrators read deleted products and write. Each
// write commits with its audit entry in one transaction (productsRepository.transaction).
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
import { type Audited, audit, changedFields } from "./audit.service.ts";
import { announce } from "./events.service.ts";

type Admin = Deps & { audited: Audited };
const productFields = (p: TProduct) => ({ title: p.title, description: p.description, price: p.price });

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

export function createProduct({ db, audited }: Admin, input: z.output<typeof ZCreateProductInputSchema>) {
  return productsRepository(db).transaction(async (w) => {
    const product = await w.insert(input);
    await audit(w.tx, audited, {
      action: "product.create",
      targetType: "product",
      targetId: product.id,
      after: productFields(product),
    });
    await announce(w.tx, "product.created", product);
    return product;
  });
}

export function updateProduct({ db, audited }: Admin, input: z.output<typeof ZUpdateProductInputSchema>) {
  const { id, ...changes } = input;
  return productsRepository(db).transaction(async (w) => {
    const before = await w.byId(id);
    const after = (before && (await w.update(id, changes))) ?? throwError(notFound());
    await audit(w.tx, audited, {
      action: "product.update",
      targetType: "product",
      targetId: after.id,
      ...changedFields(productFields(before!), productFields(after)),
    });
    await announce(w.tx, "product.updated", after);
    return after;
  });
}

/** Soft delete: purchases keep pointing at the product and keep their own title and price. */
export function deleteProduct({ db, audited }: Admin, id: string) {
  return productsRepository(db).transaction(async (w) => {
    const product = (await w.softDelete(id)) ?? throwError(notFound());
    await audit(w.tx, audited, {
      action: "product.delete",
      targetType: "product",
      targetId: product.id,
      before: { deletedAt: null },
      after: { deletedAt: product.deletedAt },
    });
    await announce(w.tx, "product.deleted", product);
    return product;
  });
}

/** Undoes a delete. A live product is answered as it is: nothing changes and nothing is audited. */
export function restoreProduct({ db, audited }: Admin, id: string) {
  return productsRepository(db).transaction(async (w) => {
    const before = await w.byId(id);
    if (!before) throw notFound();
    const restored = await w.restore(id);
    if (!restored) return (await w.byId(id)) ?? throwError(notFound());
    await audit(w.tx, audited, {
      action: "product.restore",
      targetType: "product",
      targetId: restored.id,
      before: { deletedAt: before.deletedAt },
      after: { deletedAt: null },
    });
    await announce(w.tx, "product.restored", restored);
    return restored;
  });
}

function throwError(error: Error): never {
  throw error;
}
