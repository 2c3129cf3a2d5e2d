// Products: server-side paging, search and sort, all kept in the URL (the /products route's
// ZProductsSearchSchema). Delete asks first, then is optimistic (delete-product.ts).
import { Link, getRouteApi } from "@tanstack/react-router";
import { useMemo, useState } from "react";
import { ConfirmDialog } from "@/components/ConfirmDialog.tsx";
import { PageHeader } from "@/components/Layout.tsx";
import { ActionsHeader, type Columns, columnsOf, sortableBy } from "@/components/list/DataTable.tsx";
import type { FilterField } from "@/components/list/FilterBar.tsx";
import { ListView } from "@/components/list/ListView.tsx";
import { Empty } from "@/components/States.tsx";
import { useToast } from "@/components/Toasts.tsx";
import { errorMessage } from "@/lib/errors.ts";
import { dateTime, money } from "@/lib/format.ts";
import { useList } from "@/lib/list.ts";
import { useDeleteProduct } from "@/features/products/api/delete-product.ts";
import type { Product } from "@/features/products/api/get-product.ts";
import { PRODUCTS_SORTING, useProducts } from "@/features/products/api/get-products.ts";
import { RestoreProductButton } from "@/features/products/components/RestoreProductButton.tsx";

const route = getRouteApi("/_app/products");

const FILTERS: readonly FilterField[] = [
  { type: "search", label: "Search products", placeholder: "Search title or description" },
  { type: "checkbox", name: "deleted", label: "Show deleted" },
];

const column = columnsOf<Product>();

function productColumns(showDeleted: boolean, onDelete: (product: Product) => void): Columns<Product> {
  return [
    column.accessor("title", {
      header: "Title",
      ...sortableBy(PRODUCTS_SORTING, "title"),
      meta: { className: "cell-title" },
      cell: ({ row: { original: product } }) => (
        <>
          <span className="title">{product.title}</span>
          {product.deletedAt ? <span className="badge badge-danger">Deleted</span> : null}
          {product.description ? <span className="description">{product.description}</span> : null}
        </>
      ),
    }),
    column.accessor("price", {
      header: "Price",
      ...sortableBy(PRODUCTS_SORTING, "price"),
      meta: { className: "numeric money" },
      cell: ({ getValue }) => money(getValue()),
    }),
    column.accessor("createdAt", {
      header: "Created",
      ...sortableBy(PRODUCTS_SORTING, "createdAt"),
      meta: { className: "nowrap" },
      cell: ({ getValue }) => <time dateTime={getValue()}>{dateTime(getValue())}</time>,
    }),
    ...(showDeleted
      ? [
          column.accessor("deletedAt", {
            header: "Deleted",
            meta: { className: "nowrap" },
            cell: ({ getValue }) => {
              const at = getValue();
              return at ? <time dateTime={at}>{dateTime(at)}</time> : "—";
            },
          }),
        ]
      : []),
    column.display({
      id: "actions",
      header: ActionsHeader,
      meta: { className: "actions" },
      cell: ({ row: { original: product } }) =>
        product.deletedAt ? (
          <RestoreProductButton product={product} />
        ) : (
          <div className="row-actions">
            <Link to="/products/$id/edit" params={{ id: product.id }} className="button button-small">
              Edit<span className="visually-hidden"> {product.title}</span>
            </Link>
            <button type="button" className="button button-small button-danger-quiet" onClick={() => onDelete(product)}>
              Delete<span className="visually-hidden"> {product.title}</span>
            </button>
          </div>
        ),
    }),
  ];
}

const SORT_NAMES = { createdAt: "creation date", title: "title", price: "price" } as const;

export function ProductsPage() {
  const list = useList(route.useSearch(), PRODUCTS_SORTING);
  const query = useProducts(list);
  const toast = useToast();
  const [toDelete, setToDelete] = useState<Product | null>(null);
  const [confirming, setConfirming] = useState(false);
  const showDeleted = list.search.deleted === "1";
  const columns = useMemo(
    () =>
      productColumns(showDeleted, (product) => {
        setToDelete(product);
        setConfirming(true);
      }),
    [showDeleted],
  );

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

      <ListView
        list={list}
        query={query}
        columns={columns}
        filters={FILTERS}
        sortable
        noun="products"
        caption={`Products, sorted by ${SORT_NAMES[list.sort]} (${list.order === "asc" ? "ascending" : "descending"})`}
        className="table-products"
        loadingLabel="Loading products…"
        errorTitle="Could not load products"
        rowProps={(product) => (product.deletedAt ? { className: "row-muted" } : {})}
        empty={
          list.q ? (
            <Empty title={`No products match “${list.q}”`}>
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
      />

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
