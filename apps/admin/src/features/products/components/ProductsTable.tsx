// The products of one page, sortable by title, price and creation date; each row links to its edit
// form and asks to delete it; with deleted ones shown, a Deleted column and Restore on theirs.
import { ActionsHeader, SortHeader, Table } from "@/components/Table.tsx";
import type { Order } from "@/hooks/use-list-params.ts";
import { dateTime, money } from "@/lib/format.ts";
import { Link } from "@/lib/router.tsx";
import type { Product } from "@/features/products/api/get-product.ts";
import type { ProductSort, ProductsListParams } from "@/features/products/api/get-products.ts";
import { RestoreProductButton } from "./RestoreProductButton.tsx";

const COLUMNS: { sort: ProductSort; label: string; firstOrder: Order; numeric?: boolean }[] = [
  { sort: "title", label: "Title", firstOrder: "asc" },
  { sort: "price", label: "Price", firstOrder: "asc", numeric: true },
  { sort: "createdAt", label: "Created", firstOrder: "desc" },
];

interface Props {
  products: readonly Product[];
  list: ProductsListParams;
  busy: boolean;
  onDelete(product: Product): void;
}

export function ProductsTable({ products, list, busy, onDelete }: Props) {
  const showDeleted = list.filters.deleted === "1";
  const caption = `Products, sorted by ${list.sort === "createdAt" ? "creation date" : list.sort} (${list.order === "asc" ? "ascending" : "descending"})`;
  return (
    <Table caption={caption} busy={busy} className="table-products">
      <thead>
        <tr>
          {COLUMNS.map((column) => (
            <SortHeader
              key={column.sort}
              label={column.label}
              numeric={column.numeric}
              order={list.sort === column.sort ? list.order : undefined}
              onSort={() => list.sortBy(column.sort, column.firstOrder)}
            />
          ))}
          {showDeleted ? <th scope="col">Deleted</th> : null}
          <ActionsHeader />
        </tr>
      </thead>
      <tbody>
        {products.map((product) => (
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
            {showDeleted ? (
              <td data-label="Deleted" className="nowrap">
                {product.deletedAt ? <time dateTime={product.deletedAt}>{dateTime(product.deletedAt)}</time> : "—"}
              </td>
            ) : null}
            <td className="actions">
              {product.deletedAt ? (
                <RestoreProductButton product={product} />
              ) : (
                <div className="row-actions">
                  <Link to={`/products/${product.id}/edit`} className="button button-small">
                    Edit<span className="visually-hidden"> {product.title}</span>
                  </Link>
                  <button
                    type="button"
                    className="button button-small button-danger-quiet"
                    onClick={() => onDelete(product)}
                  >
                    Delete<span className="visually-hidden"> {product.title}</span>
                  </button>
                </div>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
