// The products list: its URL parameters (?q=…&sort=price&order=asc&page=2&size=10&deleted=1), the
// query they make, and the one way to refresh every cached page of it.
import { PRODUCT_SORTS } from "@shop/contracts";
import { keepPreviousData, type QueryClient, useQuery } from "@tanstack/react-query";
import { type ListParams, type ListSpec, usePageInRange } from "@/hooks/use-list-params.ts";
import { type RouterOutputs, trpc } from "@/lib/trpc.ts";

export type ProductPage = RouterOutputs["products"]["list"];
export type ProductSort = (typeof PRODUCT_SORTS)[number];

export const PRODUCTS_LIST = {
  pageSizes: [10, 20, 50],
  defaultPageSize: 20,
  sorts: PRODUCT_SORTS,
  defaultSort: "createdAt",
  defaultOrder: (sort) => (sort === "title" ? "asc" : "desc"),
  filters: { deleted: ["1"] },
} as const satisfies ListSpec<ProductSort, "deleted">;

export type ProductsListParams = ListParams<ProductSort, "deleted">;

export function productsQueryOptions(list: ProductsListParams) {
  return trpc.products.list.queryOptions(
    {
      limit: list.limit,
      offset: list.offset,
      search: list.search || undefined,
      sort: list.sort,
      order: list.order,
      includeDeleted: list.filters.deleted === "1",
    },
    // The previous page stays on screen while the next one loads.
    { placeholderData: keepPreviousData },
  );
}

export function useProducts(list: ProductsListParams) {
  const query = useQuery(productsQueryOptions(list));
  usePageInRange(list, query);
  return query;
}

/** Every cached page of the list is fetched again (a product was created, changed or deleted). */
export function refreshProductLists(queryClient: QueryClient) {
  return queryClient.invalidateQueries(trpc.products.list.queryFilter());
}
