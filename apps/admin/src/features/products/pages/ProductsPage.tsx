// Products: server-side pagination, search and sort, all kept in the query string (PRODUCTS_LIST).
// Delete asks first, then is optimistic (delete-product.ts).
import { useState } from "react";
import { ConfirmDialog } from "@/components/ConfirmDialog.tsx";
import { PageHeader } from "@/components/Layout.tsx";
import { Pagination } from "@/components/Pagination.tsx";
import { SearchBox } from "@/components/SearchBox.tsx";
import { Empty, QueryState } from "@/components/States.tsx";
import { useToast } from "@/components/Toasts.tsx";
import { useListParams } from "@/hooks/use-list-params.ts";
import { errorMessage } from "@/lib/errors.ts";
import { Link } from "@/lib/router.tsx";
import { useDeleteProduct } from "@/features/products/api/delete-product.ts";
import type { Product } from "@/features/products/api/get-product.ts";
import { PRODUCTS_LIST, useProducts } from "@/features/products/api/get-products.ts";
import { ProductsTable } from "@/features/products/components/ProductsTable.tsx";

export function ProductsPage() {
  const list = useListParams(PRODUCTS_LIST);
  const query = useProducts(list);
  const toast = useToast();
  const [toDelete, setToDelete] = useState<Product | null>(null);
  const [confirming, setConfirming] = useState(false);

  const remove = useDeleteProduct({
    onSuccess: (product) => toast.success(`Deleted “${product.title}”`),
    onError: (error) => toast.error(`Could not delete the product: ${errorMessage(error)}`),
  });

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
          value={list.search}
          onSearch={list.setSearch}
        />
        <div className="toolbar-options">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={list.filters.deleted === "1"}
              onChange={(e) => list.setFilter("deleted", e.target.checked ? "1" : "")}
            />
            Show deleted
          </label>
          <label className="inline-select">
            Per page
            <select value={list.limit} onChange={(e) => list.setLimit(Number(e.target.value))}>
              {PRODUCTS_LIST.pageSizes.map((s) => (
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
          list.search ? (
            <Empty title={`No products match “${list.search}”`}>
              <button type="button" className="button" onClick={() => list.setSearch("")}>
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
            <ProductsTable
              products={data.items}
              list={list}
              busy={query.isFetching}
              onDelete={(product) => {
                setToDelete(product);
                setConfirming(true);
              }}
            />
            <Pagination
              page={list.page}
              pageSize={list.limit}
              total={data.total}
              noun="products"
              onPage={list.setPage}
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
