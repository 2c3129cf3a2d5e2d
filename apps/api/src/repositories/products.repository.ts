// Products: the list (one prepared statement per sort), and the admin's reads and writes. Deleting is
// soft (deleted_at), so purchases keep pointing at the product and keep their own title and price.
import { type PRODUCT_SORTS, type TPage, type TProduct } from "@shop/contracts";
import { type Db, type SqlClient, type SqlTransaction, statement } from "@shop/db";
import { changeCache } from "./change-cache.ts";
import { always, containsPattern, iso, type KeysetListing, keysetPage, perDb, when } from "./shared.ts";

interface ProductRow {
  id: string;
  title: string;
  description: string;
  price: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** The columns every statement returns, in the API's formats (price as NUMERIC(20,2) text: "12.50"). */
const COLUMNS = `p.id::text, p.title, p.description, p.price::text, ${iso("p.created_at")} AS created_at,
       ${iso("p.updated_at")} AS updated_at, CASE WHEN p.deleted_at IS NULL THEN NULL ELSE ${iso("p.deleted_at")} END AS deleted_at`;

/** The one row → API mapper for products. */
const toProduct = (row: ProductRow): TProduct => ({
  id: row.id,
  title: row.title,
  description: row.description,
  price: row.price,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  deletedAt: row.deleted_at,
});

/**
 * The product list in each sort, then the id (unique) in the same direction. ORDER BY names the table's
 * columns, not the text output columns of the same name.
 */
const PRODUCTS: KeysetListing<(typeof PRODUCT_SORTS)[number]> = {
  name: "products",
  select: COLUMNS,
  from: "products p",
  rowId: "p.id",
  sorts: {
    createdAt: [
      { expr: "p.created_at", cast: "timestamptz" },
      { expr: "p.id::text", cast: "text" },
    ],
    title: [
      { expr: "p.title", cast: "text" },
      { expr: "p.id::text", cast: "text" },
    ],
    price: [
      { expr: "p.price", cast: "numeric" },
      { expr: "p.id::text", cast: "text" },
    ],
  },
};

/** Live products only unless deleted ones are asked for; an ILIKE pattern on title or description. */
const listConditions = (input: ListProductsQuery) => [
  input.includeDeleted ? null : always("live", "p.deleted_at IS NULL"),
  when("search", containsPattern(input.search), (p) => `p.title ILIKE ${p}::text OR p.description ILIKE ${p}::text`),
];

const byIdStatement = statement<ProductRow>(
  "products.by-id",
  `SELECT ${COLUMNS} FROM products p WHERE p.id = $1::uuid`,
);

const insertStatement = statement<ProductRow>(
  "products.insert",
  `INSERT INTO products AS p (title, description, price) VALUES ($1::text, $2::text, $3::numeric) RETURNING ${COLUMNS}`,
);

/** Edits a live product: $1 id, then title, description, price — each NULL to keep it. */
const updateStatement = statement<ProductRow>(
  "products.update",
  `UPDATE products p
      SET title = COALESCE($2::text, p.title), description = COALESCE($3::text, p.description),
          price = COALESCE($4::numeric, p.price), updated_at = now()
    WHERE p.id = $1::uuid AND p.deleted_at IS NULL
   RETURNING ${COLUMNS}`,
);

const softDeleteStatement = statement<ProductRow>(
  "products.soft-delete",
  `UPDATE products p SET deleted_at = now(), updated_at = now()
    WHERE p.id = $1::uuid AND p.deleted_at IS NULL
   RETURNING ${COLUMNS}`,
);

/** Undeletes a deleted product; a live one matches nothing (restoring it changes nothing, not even updatedAt). */
const restoreStatement = statement<ProductRow>(
  "products.restore",
  `UPDATE products p SET deleted_at = NULL, updated_at = now()
    WHERE p.id = $1::uuid AND p.deleted_at IS NOT NULL
   RETURNING ${COLUMNS}`,
);

export interface ListProductsQuery {
  includeDeleted: boolean;
  search?: string | undefined;
  sort: (typeof PRODUCT_SORTS)[number];
  order: "asc" | "desc";
  limit: number;
  offset: number;
  cursor?: string | undefined;
}
export type ProductPage = TPage<TProduct>;

/** The channel the products table's trigger notifies on every committed write (see the migration). */
export const PRODUCTS_CHANGED = "products_changed";

/** A product by id, deleted or not, or null. */
async function byId(sql: SqlClient, id: string): Promise<TProduct | null> {
  const [row] = await sql.query(byIdStatement, [id]);
  return row ? toProduct(row) : null;
}

/** The writes, on a transaction's client: each commits with its audit entry (products.service). */
function writer(tx: SqlTransaction) {
  return {
    /** The transaction's client, for the audit entry of the same commit. */
    tx,
    byId: (id: string) => byId(tx, id),

    async insert(p: { title: string; description: string; price: string }): Promise<TProduct> {
      const [row] = await tx.query(insertStatement, [p.title, p.description, p.price]);
      return toProduct(row!);
    },

    /** Null when there is no live product with this id. */
    async update(
      id: string,
      changes: { title?: string | undefined; description?: string | undefined; price?: string | undefined },
    ): Promise<TProduct | null> {
      const [row] = await tx.query(updateStatement, [
        id,
        changes.title ?? null,
        changes.description ?? null,
        changes.price ?? null,
      ]);
      return row ? toProduct(row) : null;
    },

    /** Null when there is no live product with this id. */
    async softDelete(id: string): Promise<TProduct | null> {
      const [row] = await tx.query(softDeleteStatement, [id]);
      return row ? toProduct(row) : null;
    },

    /** Null when there is no deleted product with this id. */
    async restore(id: string): Promise<TProduct | null> {
      const [row] = await tx.query(restoreStatement, [id]);
      return row ? toProduct(row) : null;
    },
  };
}

export type ProductWriter = ReturnType<typeof writer>;

export const productsRepository = perDb((db: Pick<Db, "sql" | "listen">) => {
  const { sql } = db;
  // Pages of the list, per process, emptied by every write anywhere (change-cache.ts).
  const pages = changeCache<ProductPage>(db, { channel: PRODUCTS_CHANGED, name: "products" });

  const loadPage = async (input: ListProductsQuery): Promise<ProductPage> => {
    const { rows, ...rest } = await keysetPage<ProductRow, (typeof PRODUCT_SORTS)[number]>(
      sql,
      PRODUCTS,
      listConditions(input),
      input.sort,
      input.order,
      input,
    );
    return { items: rows.map(toProduct), ...rest };
  };

  return {
    /** A page of the list, from this process's cache when it holds it. Read-only: it is shared. */
    list(input: ListProductsQuery): Promise<ProductPage> {
      const key = `${input.includeDeleted}|${input.sort}|${input.order}|${input.limit}|${input.offset}|${input.cursor ?? ""}|${input.search ?? ""}`;
      return pages.read(key, () => loadPage(input));
    },

    /** A product, deleted or not, or null. */
    byId: (id: string) => byId(sql, id),

    /**
     * Runs product writes in one transaction (with their audit entry). This process's cache is emptied
     * once the transaction is over, so its next read sees the write; other processes follow by NOTIFY,
     * which PostgreSQL sends at COMMIT.
     */
    async transaction<T>(fn: (w: ProductWriter) => Promise<T>): Promise<T> {
      try {
        return await sql.transaction((tx) => fn(writer(tx)));
      } finally {
        pages.invalidate();
      }
    },
  };
});
