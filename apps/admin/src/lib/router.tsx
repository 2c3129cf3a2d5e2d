// A tiny router on the History API. Paths are app-relative ("/products"); the base ("/admin", from
// Vite's `base`) is added to and removed from real URLs here only. Page state (search, sort, page)
// lives in the query string, so a link or a reload shows the same view.
import { type AnchorHTMLAttributes, type MouseEvent, useCallback, useMemo, useSyncExternalStore } from "react";

export const BASE = import.meta.env.BASE_URL.replace(/\/+$/, "");
const NAVIGATE_EVENT = "app:navigate";

function subscribe(onChange: () => void) {
  window.addEventListener("popstate", onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

/** "/admin/products?page=2" → "/products?page=2". */
function toAppPath(url: string): string {
  const rest = url.startsWith(BASE) ? url.slice(BASE.length) : url;
  return rest === "" || rest.startsWith("?") ? `/${rest}` : rest;
}

export function href(to: string): string {
  return `${BASE}${to}`;
}

export function navigate(to: string, options: { replace?: boolean } = {}) {
  const url = href(to);
  if (url === snapshot()) return;
  if (options.replace) window.history.replaceState(null, "", url);
  else window.history.pushState(null, "", url);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

export interface Location {
  /** App-relative path without the query string, e.g. "/products". */
  path: string;
  /** App-relative path with the query string. */
  fullPath: string;
  search: URLSearchParams;
}

export function useLocation(): Location {
  const current = useSyncExternalStore(subscribe, snapshot);
  return useMemo(() => {
    const full = toAppPath(current);
    const q = full.indexOf("?");
    return {
      path: q === -1 ? full : full.slice(0, q),
      fullPath: full,
      search: new URLSearchParams(q === -1 ? "" : full.slice(q)),
    };
  }, [current]);
}

/** Query-string state: read with `search`, change with `update` (undefined or "" removes a key). */
export function useSearchParams(): [
  URLSearchParams,
  (changes: Record<string, string | undefined>, options?: { replace?: boolean }) => void,
] {
  const { path, search } = useLocation();
  const update = useCallback(
    (changes: Record<string, string | undefined>, options: { replace?: boolean } = {}) => {
      const next = new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined || value === "") next.delete(key);
        else next.set(key, value);
      }
      const query = next.toString();
      navigate(`${path}${query ? `?${query}` : ""}`, options);
    },
    [path],
  );
  return [search, update];
}

/** "/users/:id" against "/users/42" → { id: "42" }; null when it does not match. */
export function matchPath<K extends string = "id">(pattern: string, path: string): Record<K, string> | null {
  const want = pattern.split("/").filter(Boolean);
  const have = path.split("/").filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const actual = have[i]!;
    if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(actual);
    else if (part !== actual) return null;
  }
  return params as Record<K, string>;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> & { to: string };

/** A real link (open in a new tab works) that navigates in place on a plain click. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey ||
      (rest.target && rest.target !== "_self")
    ) {
      return;
    }
    event.preventDefault();
    navigate(to);
  };
  return <a href={href(to)} onClick={handleClick} {...rest} />;
}
