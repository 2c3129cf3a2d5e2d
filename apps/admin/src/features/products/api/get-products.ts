// The products list: its URL parameters (?q=…&sort=price&order=asc&size=10&page=2&cursor=…&deleted=1,
// validated by the /products route), the query they make, and the one way to refresh every cached page.
import { PRODUCT_SORTS } from "@shop/contracts";
import { keepPreviousData, type QueryClient, useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { type List, type SortSpec, pageSearch, param, searchParam, sortSearch } from "@/lib/list.ts";
import { type RouterOutputs, trpc } from "@/lib/trpc.ts";

export type ProductPage = RouterOutputs["products"]["list"];
export type ProductSort = (typeof PRODUCT_SORTS)[number];

export const ZProductsSearchSchema = z.object({
  ...pageSearch,
  q: searchParam,
  ...sortSearch(PRODUCT_SORTS),
  /** Deleted products shown too. */
  deleted: param(z.literal("1")),
});
export type ProductsSearch = z.output<typeof ZProductsSearchSchema>;

export const PRODUCTS_SORTING: SortSpec<ProductSort> = {
  defaultSort: "createdAt",
  defaultOrder: "desc",
  firstOrder: (sort) => (sort === "title" || sort === "price" ? "asc" : "desc"),
};

export type ProductsList = List<ProductsSearch, ProductSort>;

export function productsQueryOptions(list: ProductsList) {
  return trpc.products.list.queryOptions(
    {
      ...list.pageInput,
      search: list.q || undefined,
      sort: list.sort,
      order: list.order,
      includeDeleted: list.search.deleted === "1",
    },
    // The previous page stays on screen while the next one loads.
    { placeholderData: keepPreviousData },
  );
}

export function useProducts(list: ProductsList) {
  return useQuery(productsQueryOptions(list));
}

/** Every cached page of the list is fetched again (a product was created, changed or deleted). */
export function refreshProductLists(queryClient: QueryClient) {
  return queryClient.invalidateQueries(trpc.products.list.queryFilter());
}
