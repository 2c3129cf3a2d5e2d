// /products/new and /products/$id/edit: the product form, once the product to edit has loaded.
import { Link, useParams } from "@tanstack/react-router";
import { PageHeader } from "@/components/Layout.tsx";
import { ErrorState, Loading } from "@/components/States.tsx";
import { lastSearch } from "@/lib/list.ts";
import { appCode } from "@/lib/errors.ts";
import { useProduct } from "@/features/products/api/get-product.ts";
import type { ProductsSearch } from "@/features/products/api/get-products.ts";
import { ProductForm } from "@/features/products/components/ProductForm.tsx";

export function ProductFormPage() {
  // /products/new has no id.
  const { id } = useParams({ strict: false });
  const query = useProduct(id);

  if (id === undefined) return <ProductForm />;
  if (query.isPending) return <Loading label="Loading product…" />;
  if (query.isError) {
    const missing = appCode(query.error) === "PRODUCT_NOT_FOUND";
    return (
      <>
        <PageHeader title="Edit product" />
        <ErrorState
          error={query.error}
          title={missing ? "This product does not exist" : "Could not load the product"}
          onRetry={missing ? undefined : () => void query.refetch()}
        />
        <p>
          <Link to="/products" search={lastSearch<ProductsSearch>("/products")}>
            Back to products
          </Link>
        </p>
      </>
    );
  }
  // Keyed by id and version: a product loaded fresh starts a fresh form.
  return <ProductForm key={`${query.data.id}:${query.data.updatedAt}`} product={query.data} />;
}
