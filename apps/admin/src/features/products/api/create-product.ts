import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type MutationCallbacks, type RouterInputs, trpc } from "@/lib/trpc.ts";
import { type Product, rememberProduct } from "./get-product.ts";
import { refreshProductLists } from "./get-products.ts";

export type CreateProductInput = RouterInputs["products"]["create"];

/** Creates a product; the lists are fetched again (where it lands depends on their sort). */
export function useCreateProduct({ onSuccess, onError }: MutationCallbacks<Product, CreateProductInput> = {}) {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.products.create.mutationOptions({
      onSuccess: (saved, input) => {
        rememberProduct(queryClient, saved);
        void refreshProductLists(queryClient);
        onSuccess?.(saved, input);
      },
      onError: (error, input) => onError?.(error, input),
    }),
  );
}
