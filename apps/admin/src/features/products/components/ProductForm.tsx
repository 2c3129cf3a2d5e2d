// Create or edit a product. The form checks its fields with the API's own schema: the create schema
// (ZCreateProductInputSchema) holds the rules of title, description and price, and the update schema
// applies the very same field schemas (made optional; this form always sends all three). The server's
// own answer (issues) lands on the same fields.
import { ZCreateProductInputSchema } from "@shop/contracts";
import { Link, useNavigate } from "@tanstack/react-router";
import { Field } from "@/components/Field.tsx";
import { PageHeader } from "@/components/Layout.tsx";
import { useToast } from "@/components/Toasts.tsx";
import { errorMessage } from "@/lib/errors.ts";
import { useZodForm } from "@/lib/form.ts";
import { dateTime, money } from "@/lib/format.ts";
import { lastSearch } from "@/lib/list.ts";
import { useCreateProduct } from "@/features/products/api/create-product.ts";
import type { Product } from "@/features/products/api/get-product.ts";
import type { ProductsSearch } from "@/features/products/api/get-products.ts";
import { useUpdateProduct } from "@/features/products/api/update-product.ts";

export function ProductForm({ product }: { product?: Product }) {
  const editing = product !== undefined;
  const toast = useToast();
  const navigate = useNavigate();
  const form = useZodForm(ZCreateProductInputSchema, {
    defaultValues: {
      title: product?.title ?? "",
      description: product?.description ?? "",
      price: product?.price ?? "",
    },
    labels: { title: "Title", description: "Description", price: "Price" },
  });

  const saved = (message: string) => {
    toast.success(message);
    void navigate({ to: "/products", search: lastSearch<ProductsSearch>("/products") });
  };
  const failed = (error: unknown) => {
    form.showServerIssues(error);
    toast.error(`Could not save the product: ${errorMessage(error)}`);
  };
  const create = useCreateProduct({ onSuccess: (p) => saved(`Created “${p.title}”`), onError: failed });
  const update = useUpdateProduct({ onSuccess: (p) => saved(`Saved “${p.title}”`), onError: failed });
  const pending = create.isPending || update.isPending;

  const submit = form.handleSubmit((values) => {
    if (product) update.mutate({ id: product.id, ...values });
    else create.mutate(values);
  });

  const price = ZCreateProductInputSchema.shape.price.safeParse(form.watch("price"));

  return (
    <>
      <PageHeader
        title={editing ? "Edit product" : "New product"}
        lead={
          product ? (
            <>
              Created {dateTime(product.createdAt)}
              {product.updatedAt !== product.createdAt ? ` · last changed ${dateTime(product.updatedAt)}` : ""}
            </>
          ) : (
            "It goes on sale as soon as you create it."
          )
        }
      />
      {product?.deletedAt ? (
        <div className="notice notice-warning" role="status">
          This product was deleted on {dateTime(product.deletedAt)} and can no longer be changed.
        </div>
      ) : null}
      <form
        className="form card form-product"
        onSubmit={(event) => void submit(event)}
        noValidate
        aria-label={editing ? "Edit product" : "New product"}
      >
        {form.formError ? (
          <div className="notice notice-error" role="alert">
            {form.formError}
          </div>
        ) : null}
        <Field label="Title" required error={form.fieldError("title")}>
          {(a11y) => <input {...a11y} {...form.register("title")} autoComplete="off" autoFocus={!editing} />}
        </Field>
        <Field label="Description" error={form.fieldError("description")} hint="Optional. Up to 5000 characters.">
          {(a11y) => <textarea {...a11y} {...form.register("description")} rows={5} />}
        </Field>
        <Field
          label="Price"
          required
          error={form.fieldError("price")}
          hint={
            price.success ? (
              <>Shown as {money(price.data)}</>
            ) : (
              "A positive amount with at most two decimals, e.g. 150 or 150.50"
            )
          }
        >
          {(a11y) => (
            <input
              {...a11y}
              {...form.register("price")}
              inputMode="decimal"
              className="input-money"
              autoComplete="off"
            />
          )}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={pending || Boolean(product?.deletedAt)}>
            {pending ? "Saving…" : editing ? "Save changes" : "Create product"}
          </button>
          <Link to="/products" search={lastSearch<ProductsSearch>("/products")} className="button">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
