import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type MutationCallbacks, type RouterInputs, trpc } from "@/lib/trpc.ts";
import { type Product, rememberProduct } from "./get-product.ts";
import { refreshProductLists } from "./get-products.ts";

export type UpdateProductInput = RouterInputs["products"]["update"];

/** Changes a product; its form shows the saved version, the lists are fetched again. */
export function useUpdateProduct({ onSuccess, onError }: MutationCallbacks<Product, UpdateProductInput> = {}) {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.products.update.mutationOptions({
      onSuccess: (saved, input) => {
        rememberProduct(queryClient, saved);
        void refreshProductLists(queryClient);
        onSuccess?.(saved, input);
      },
      onError: (error, input) => onError?.(error, input),
    }),
  );
}
