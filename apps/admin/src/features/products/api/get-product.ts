// One product, for its edit form.
import { type QueryClient, skipToken, useQuery } from "@tanstack/react-query";
import { type RouterOutputs, trpc } from "@/lib/trpc.ts";

export type Product = RouterOutputs["products"]["get"];

/** No id (a new product): nothing to load. */
export function useProduct(id: string | undefined) {
  return useQuery(trpc.products.get.queryOptions(id === undefined ? skipToken : { id }));
}

/** The server's answer to a change is the product as it now is: its edit form shows it at once. */
export function rememberProduct(queryClient: QueryClient, product: Product) {
  queryClient.setQueryData(trpc.products.get.queryKey({ id: product.id }), product);
}
