// Deleting a product is optimistic: the row goes from every cached list at once (or, in a list that
// shows deleted products, is marked deleted) and comes back if the server refuses.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { inputOf, patch, patchQueries } from "@/lib/optimistic.ts";
import { type MutationCallbacks, type RouterInputs, trpc } from "@/lib/trpc.ts";
import { type Product, rememberProduct } from "./get-product.ts";
import { type ProductPage, refreshProductLists } from "./get-products.ts";

export type DeleteProductInput = RouterInputs["products"]["delete"];

export function useDeleteProduct({ onSuccess, onError }: MutationCallbacks<Product, DeleteProductInput> = {}) {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.products.delete.mutationOptions({
      onMutate: async ({ id }) => {
        const now = new Date().toISOString();
        const restore = await patchQueries(queryClient, [
          patch<ProductPage>(trpc.products.list.queryFilter(), (page, key) =>
            (inputOf(key) as { includeDeleted?: boolean } | undefined)?.includeDeleted === true
              ? { ...page, items: page.items.map((p) => (p.id === id ? { ...p, deletedAt: now } : p)) }
              : { ...page, items: page.items.filter((p) => p.id !== id), total: page.total - 1 },
          ),
        ]);
        return { restore };
      },
      onError: (error, input, context) => {
        context?.restore();
        onError?.(error, input);
      },
      onSuccess: (deleted, input) => {
        rememberProduct(queryClient, deleted);
        onSuccess?.(deleted, input);
      },
      onSettled: () => refreshProductLists(queryClient),
    }),
  );
}
