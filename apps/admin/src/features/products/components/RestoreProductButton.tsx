// "Restore" on a deleted product's row: it is sold again, with its title, description and price.
import { useToast } from "@/components/Toasts.tsx";
import { errorMessage } from "@/lib/errors.ts";
import type { Product } from "@/features/products/api/get-product.ts";
import { useRestoreProduct } from "@/features/products/api/restore-product.ts";

export function RestoreProductButton({ product }: { product: Product }) {
  const toast = useToast();
  const restore = useRestoreProduct({
    onSuccess: (restored) => toast.success(`“${restored.title}” is restored`),
    onError: (error) => toast.error(`Could not restore “${product.title}”: ${errorMessage(error)}`),
  });
  return (
    <button
      type="button"
      className="button button-small button-primary-quiet"
      onClick={() => restore.mutate({ id: product.id })}
      disabled={restore.isPending}
    >
      {restore.isPending ? "Restoring…" : "Restore"}
      <span className="visually-hidden"> {product.title}</span>
    </button>
  );
}
