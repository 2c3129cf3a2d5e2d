// Loading, error and empty states shared by the pages.
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { errorMessage } from "@/lib/errors.ts";

export function Loading({ label }: { label: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function ErrorState({
  error,
  onRetry,
  title = "Could not load this page",
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{title}</p>
      <p>{errorMessage(error)}</p>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children}
    </div>
  );
}

/**
 * A paged query's states: loading, an error with "Try again", `empty` when it has no items, else
 * `children` with the data. By default a failed refetch keeps the data on screen under a notice;
 * `keepDataOnError={false}` shows the error instead.
 */
export function QueryState<T extends { items: readonly unknown[] }>({
  query,
  loadingLabel,
  errorTitle,
  empty,
  keepDataOnError = true,
  children,
}: {
  query: UseQueryResult<T, unknown>;
  loadingLabel: string;
  errorTitle: string;
  empty: ReactNode;
  keepDataOnError?: boolean;
  children: (data: T) => ReactNode;
}) {
  const { data } = query;
  if (query.isPending) return <Loading label={loadingLabel} />;
  if (query.isError && (!data || !keepDataOnError)) {
    return <ErrorState error={query.error} title={errorTitle} onRetry={() => void query.refetch()} />;
  }
  if (!data) return null;
  if (data.items.length === 0) return empty;
  return (
    <>
      {query.isError ? (
        <div className="notice notice-error" role="alert">
          Could not refresh: {errorMessage(query.error)}
        </div>
      ) : null}
      {children(data)}
    </>
  );
}
