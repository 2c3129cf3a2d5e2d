// Restoring a deleted product: the saved product goes into the cache and every list is fetched again.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type MutationCallbacks, type RouterInputs, trpc } from "@/lib/trpc.ts";
import { type Product, rememberProduct } from "./get-product.ts";
import { refreshProductLists } from "./get-products.ts";

export type RestoreProductInput = RouterInputs["products"]["restore"];

export function useRestoreProduct({ onSuccess, onError }: MutationCallbacks<Product, RestoreProductInput> = {}) {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.products.restore.mutationOptions({
      onSuccess: (restored, input) => {
        rememberProduct(queryClient, restored);
        onSuccess?.(restored, input);
      },
      onError: (error, input) => onError?.(error, input),
      onSettled: () => refreshProductLists(queryClient),
    }),
  );
}
