// Products: server-side pagination, search and sort, all kept in the query string
// (?q=…&sort=price&order=asc&page=2&size=20&deleted=1). Delete is optimistic: the row goes at once
// and comes back if the server refuses.
import { PRODUCT_SORTS } from "@shop/contracts";
import { keepPreviousData, type QueryKey, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { ConfirmDialog } from "../components/ConfirmDialog.tsx";
import { PageHeader } from "../components/Layout.tsx";
import { Pagination } from "../components/Pagination.tsx";
import { SearchBox } from "../components/SearchBox.tsx";
import { Empty, QueryState } from "../components/States.tsx";
import { useToast } from "../components/Toasts.tsx";
import { dateTime, money, pageParam, positiveInt } from "../format.ts";
import { Link, useLocation, useSearchParams } from "../router.tsx";
import { errorMessage, type Product, type ProductPage, trpc } from "../trpc.ts";
import { rememberList } from "./list-return.ts";

type Sort = (typeof PRODUCT_SORTS)[number];
type Order = "asc" | "desc";

const PAGE_SIZES = [10, 20, 50] as const;
const COLUMNS: { sort: Sort; label: string; firstOrder: Order; numeric?: boolean }[] = [
  { sort: "title", label: "Title", firstOrder: "asc" },
  { sort: "price", label: "Price", firstOrder: "asc", numeric: true },
  { sort: "createdAt", label: "Created", firstOrder: "desc" },
];

function readParams(search: URLSearchParams) {
  const sortText = search.get("sort");
  const sort: Sort = PRODUCT_SORTS.find((s) => s === sortText) ?? "createdAt";
  const order: Order =
    search.get("order") === "asc" ? "asc" : search.get("order") === "desc" ? "desc" : sort === "title" ? "asc" : "desc";
  const sizeText = positiveInt(search.get("size"), 20);
  const size = PAGE_SIZES.find((s) => s === sizeText) ?? 20;
  return {
    q: search.get("q")?.trim() ?? "",
    sort,
    order,
    page: pageParam(search.get("page"), size),
    size,
    deleted: search.get("deleted") === "1",
  };
}

/** The procedure input inside a tRPC query key: [path, { input, type }]. */
function inputOf(key: QueryKey): unknown {
  const meta = key[1];
  return typeof meta === "object" && meta !== null && "input" in meta ? meta.input : undefined;
}

export function ProductsPage() {
  const { path, fullPath } = useLocation();
  const [search, update] = useSearchParams();
  const params = readParams(search);
  const toast = useToast();
  const queryClient = useQueryClient();
  const [toDelete, setToDelete] = useState<Product | null>(null);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => rememberList(path, fullPath), [path, fullPath]);

  const input = {
    limit: params.size,
    offset: (params.page - 1) * params.size,
    search: params.q || undefined,
    sort: params.sort,
    order: params.order,
    includeDeleted: params.deleted,
  };
  const query = useQuery(trpc.products.list.queryOptions(input, { placeholderData: keepPreviousData }));

  // A page past the end (after deleting its last row, or from an old link): go to the last page.
  const total = query.data?.total;
  useEffect(() => {
    if (total === undefined || query.isPlaceholderData) return;
    const pages = Math.max(1, Math.ceil(total / params.size));
    if (params.page > pages) update({ page: pages === 1 ? undefined : String(pages) }, { replace: true });
  }, [total, params.page, params.size, query.isPlaceholderData, update]);

  const onSearch = useCallback((q: string) => update({ q, page: undefined }, { replace: true }), [update]);

  const remove = useMutation(
    trpc.products.delete.mutationOptions({
      onMutate: async ({ id }) => {
        const lists = trpc.products.list.queryFilter();
        await queryClient.cancelQueries(lists);
        const saved = queryClient.getQueriesData<ProductPage>(lists);
        const now = new Date().toISOString();
        for (const [key, page] of saved) {
          if (!page) continue;
          const showsDeleted = (inputOf(key) as { includeDeleted?: boolean } | undefined)?.includeDeleted === true;
          queryClient.setQueryData<ProductPage>(
            key,
            showsDeleted
              ? { ...page, items: page.items.map((p) => (p.id === id ? { ...p, deletedAt: now } : p)) }
              : { ...page, items: page.items.filter((p) => p.id !== id), total: page.total - 1 },
          );
        }
        return { saved };
      },
      onError: (error, _input, context) => {
        for (const [key, page] of context?.saved ?? []) queryClient.setQueryData(key, page);
        toast.error(`Could not delete the product: ${errorMessage(error)}`);
      },
      onSuccess: (product) => {
        queryClient.setQueryData(trpc.products.get.queryKey({ id: product.id }), product);
        toast.success(`Deleted “${product.title}”`);
      },
      onSettled: () => queryClient.invalidateQueries(trpc.products.list.queryFilter()),
    }),
  );

  const sortBy = (column: (typeof COLUMNS)[number]) => {
    const order: Order = params.sort === column.sort ? (params.order === "asc" ? "desc" : "asc") : column.firstOrder;
    update({ sort: column.sort, order, page: undefined });
  };

  return (
    <>
      <PageHeader title="Products" lead="What the shop sells. Prices are in the wallet’s currency.">
        <Link to="/products/new" className="button button-primary">
          <span aria-hidden="true">+ </span>New product
        </Link>
      </PageHeader>

      <div className="toolbar">
        <SearchBox
          label="Search products"
          placeholder="Search title or description"
          value={params.q}
          onSearch={onSearch}
        />
        <div className="toolbar-options">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={params.deleted}
              onChange={(e) => update({ deleted: e.target.checked ? "1" : undefined, page: undefined })}
            />
            Show deleted
          </label>
          <label className="inline-select">
            Per page
            <select
              value={params.size}
              onChange={(e) => update({ size: e.target.value === "20" ? undefined : e.target.value, page: undefined })}
            >
              {PAGE_SIZES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>

      <QueryState
        query={query}
        loadingLabel="Loading products…"
        errorTitle="Could not load products"
        empty={
          params.q ? (
            <Empty title={`No products match “${params.q}”`}>
              <button type="button" className="button" onClick={() => onSearch("")}>
                Clear search
              </button>
            </Empty>
          ) : (
            <Empty title="No products yet">
              <p>Create the first product to put it on sale.</p>
              <Link to="/products/new" className="button button-primary">
                New product
              </Link>
            </Empty>
          )
        }
      >
        {(data) => (
          <>
            <div className="table-wrap" aria-busy={query.isFetching}>
              <table className="table table-products">
                <caption className="visually-hidden">
                  {`Products, sorted by ${params.sort === "createdAt" ? "creation date" : params.sort} (${params.order === "asc" ? "ascending" : "descending"})`}
                </caption>
                <thead>
                  <tr>
                    {COLUMNS.map((column) => {
                      const active = params.sort === column.sort;
                      return (
                        <th
                          key={column.sort}
                          scope="col"
                          className={column.numeric ? "numeric" : undefined}
                          aria-sort={active ? (params.order === "asc" ? "ascending" : "descending") : undefined}
                        >
                          <button
                            type="button"
                            className={`sort${active ? " sort-active" : ""}`}
                            onClick={() => sortBy(column)}
                          >
                            {column.label}
                            <span className="sort-arrow" aria-hidden="true">
                              {active ? (params.order === "asc" ? "▲" : "▼") : "↕"}
                            </span>
                          </button>
                        </th>
                      );
                    })}
                    <th scope="col" className="actions">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((product) => (
                    <tr key={product.id} className={product.deletedAt ? "row-muted" : undefined}>
                      <td data-label="Title" className="cell-title">
                        <span className="title">{product.title}</span>
                        {product.deletedAt ? <span className="badge badge-danger">Deleted</span> : null}
                        {product.description ? <span className="description">{product.description}</span> : null}
                      </td>
                      <td data-label="Price" className="numeric money">
                        {money(product.price)}
                      </td>
                      <td data-label="Created" className="nowrap">
                        <time dateTime={product.createdAt}>{dateTime(product.createdAt)}</time>
                      </td>
                      <td className="actions">
                        {product.deletedAt ? null : (
                          <div className="row-actions">
                            <Link to={`/products/${product.id}/edit`} className="button button-small">
                              Edit<span className="visually-hidden"> {product.title}</span>
                            </Link>
                            <button
                              type="button"
                              className="button button-small button-danger-quiet"
                              onClick={() => {
                                setToDelete(product);
                                setConfirming(true);
                              }}
                            >
                              Delete<span className="visually-hidden"> {product.title}</span>
                            </button>
                          </div>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination
              page={params.page}
              pageSize={params.size}
              total={data.total}
              noun="products"
              onPage={(page) => update({ page: page === 1 ? undefined : String(page) })}
            />
          </>
        )}
      </QueryState>

      <ConfirmDialog
        open={confirming}
        title={`Delete “${toDelete?.title ?? ""}”?`}
        confirmLabel="Delete product"
        tone="danger"
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          if (toDelete) remove.mutate({ id: toDelete.id });
          setConfirming(false);
        }}
      >
        <p>It disappears from the shop at once. Purchase history keeps its title and price.</p>
      </ConfirmDialog>
    </>
  );
}
