// Create or edit a product. The form checks its values with the API's own schemas
// (ZCreateProductInputSchema / ZUpdateProductInputSchema): the browser and the server agree on every
// rule, and the server's answer (issues) lands on the same fields.
import { ZCreateProductInputSchema, ZUpdateProductInputSchema } from "@shop/contracts";
import { skipToken, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { Field } from "../components/Field.tsx";
import { PageHeader } from "../components/Layout.tsx";
import { ErrorState, Loading } from "../components/States.tsx";
import { useToast } from "../components/Toasts.tsx";
import { type FieldErrors, fieldErrors, formErrors } from "../forms.ts";
import { dateTime, money } from "../format.ts";
import { Link, navigate } from "../router.tsx";
import { errorCode, errorIssues, errorMessage, type Product, trpc } from "../trpc.ts";
import { listPath } from "./list-return.ts";

type Values = { title: string; description: string; price: string };
const LABELS: Record<keyof Values, string> = { title: "Title", description: "Description", price: "Price" };
const FIELDS = Object.keys(LABELS) as (keyof Values)[];

export function ProductFormPage({ id }: { id?: string }) {
  const query = useQuery(trpc.products.get.queryOptions(id === undefined ? skipToken : { id }));

  if (id === undefined) return <ProductForm />;
  if (query.isPending) return <Loading label="Loading product…" />;
  if (query.isError) {
    return (
      <>
        <PageHeader title="Edit product" />
        <ErrorState
          error={query.error}
          title={errorCode(query.error) === "NOT_FOUND" ? "This product does not exist" : "Could not load the product"}
          onRetry={errorCode(query.error) === "NOT_FOUND" ? undefined : () => void query.refetch()}
        />
        <p>
          <Link to={listPath("/products")}>Back to products</Link>
        </p>
      </>
    );
  }
  // Keyed by id and version: a product loaded fresh starts a fresh form.
  return <ProductForm key={`${query.data.id}:${query.data.updatedAt}`} product={query.data} />;
}

function ProductForm({ product }: { product?: Product }) {
  const editing = product !== undefined;
  const toast = useToast();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>({
    title: product?.title ?? "",
    description: product?.description ?? "",
    price: product?.price ?? "",
  });
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<{ fields: FieldErrors<Values>; form: string[] }>({
    fields: {},
    form: [],
  });
  const refs = {
    title: useRef<HTMLInputElement>(null),
    description: useRef<HTMLTextAreaElement>(null),
    price: useRef<HTMLInputElement>(null),
  };

  const parse = (v: Values) =>
    product ? ZUpdateProductInputSchema.safeParse({ id: product.id, ...v }) : ZCreateProductInputSchema.safeParse(v);

  const parsed = parse(values);
  const clientErrors = parsed.success ? {} : fieldErrors<Values>(parsed.error.issues, LABELS);
  // Errors show from the first submit on, then follow every change. (Not on blur: an error appearing
  // as the pointer presses "Save" would move the button away before the click lands.)
  const errorFor = (key: keyof Values) => serverErrors.fields[key] ?? (submitted ? clientErrors[key] : undefined);

  const onSaved = (saved: Product, message: string) => {
    queryClient.setQueryData(trpc.products.get.queryKey({ id: saved.id }), saved);
    void queryClient.invalidateQueries(trpc.products.list.queryFilter());
    toast.success(message);
    navigate(listPath("/products"));
  };

  const onFailed = (error: unknown) => {
    const issues = errorIssues(error);
    if (issues.length > 0) {
      setServerErrors({ fields: fieldErrors<Values>(issues, LABELS), form: formErrors(issues, LABELS) });
    }
    toast.error(`Could not save the product: ${errorMessage(error)}`);
  };

  const create = useMutation(
    trpc.products.create.mutationOptions({
      onSuccess: (saved) => onSaved(saved, `Created “${saved.title}”`),
      onError: onFailed,
    }),
  );
  const update = useMutation(
    trpc.products.update.mutationOptions({
      onSuccess: (saved) => onSaved(saved, `Saved “${saved.title}”`),
      onError: onFailed,
    }),
  );
  const pending = create.isPending || update.isPending;

  const change = (key: keyof Values, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    if (serverErrors.fields[key]) setServerErrors((s) => ({ ...s, fields: { ...s.fields, [key]: undefined } }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setServerErrors({ fields: {}, form: [] });
    if (!parsed.success) {
      const first = FIELDS.find((key) => clientErrors[key]);
      if (first) refs[first].current?.focus();
      return;
    }
    if (product) {
      const data = ZUpdateProductInputSchema.parse({ id: product.id, ...values });
      update.mutate(data);
    } else {
      create.mutate(ZCreateProductInputSchema.parse(values));
    }
  };

  const priceOk = ZCreateProductInputSchema.shape.price.safeParse(values.price);
  const formLevel = [
    ...serverErrors.form,
    ...(submitted && !parsed.success ? formErrors(parsed.error.issues, LABELS) : []),
  ];

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
        onSubmit={submit}
        noValidate
        aria-label={editing ? "Edit product" : "New product"}
      >
        {formLevel.length > 0 ? (
          <div className="notice notice-error" role="alert">
            {formLevel.join(" ")}
          </div>
        ) : null}
        <Field label="Title" required error={errorFor("title")}>
          {(a11y) => (
            <input
              {...a11y}
              ref={refs.title}
              name="title"
              value={values.title}
              onChange={(e) => change("title", e.target.value)}
              autoComplete="off"
              autoFocus={!editing}
            />
          )}
        </Field>
        <Field label="Description" error={errorFor("description")} hint="Optional. Up to 5000 characters.">
          {(a11y) => (
            <textarea
              {...a11y}
              ref={refs.description}
              name="description"
              rows={5}
              value={values.description}
              onChange={(e) => change("description", e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Price"
          required
          error={errorFor("price")}
          hint={
            priceOk.success ? (
              <>Shown as {money(priceOk.data)}</>
            ) : (
              "A positive amount with at most two decimals, e.g. 150 or 150.50"
            )
          }
        >
          {(a11y) => (
            <input
              {...a11y}
              ref={refs.price}
              name="price"
              inputMode="decimal"
              className="input-money"
              value={values.price}
              onChange={(e) => change("price", e.target.value)}
              autoComplete="off"
            />
          )}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={pending || Boolean(product?.deletedAt)}>
            {pending ? "Saving…" : editing ? "Save changes" : "Create product"}
          </button>
          <Link to={listPath("/products")} className="button">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
