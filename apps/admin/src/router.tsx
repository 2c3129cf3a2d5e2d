// Every page of the SPA, in one place: its path, its search parameters (a zod schema, checked by
// validateSearch on every navigation), its document title and its component. TanStack Router (code-based
// routes: no build plugin, no generated file) types every Link, navigate() and useSearch() from this tree.
//
// To add a page: write it in src/features/<x>/pages/; add `createRoute({ ...page("/path", "Title"), … })`
// to `pages` below (signed-in pages; a list gets `validateSearch` with a schema built from lib/list.ts);
// add it to NAV (components/Layout.tsx) if it belongs in the header. Its component reads its params and
// search with `getRouteApi("/_app/path")` (`_app`: the signed-in layout), so it never imports this file.
import { createRootRoute, createRoute, createRouter, redirect } from "@tanstack/react-router";
import { z } from "zod";
import { NotFound, Root, SignedIn } from "@/app.tsx";
import { ApiKeysPage } from "@/features/api-keys/pages/ApiKeysPage.tsx";
import { AuditPage } from "@/features/audit/pages/AuditPage.tsx";
import { ZAuditSearchSchema } from "@/features/audit/api/get-audit.ts";
import { SignInPage } from "@/features/auth/pages/SignInPage.tsx";
import { ZDashboardSearchSchema } from "@/features/dashboard/api/get-stats.ts";
import { DashboardPage } from "@/features/dashboard/pages/DashboardPage.tsx";
import { ZProductsSearchSchema } from "@/features/products/api/get-products.ts";
import { ProductFormPage } from "@/features/products/pages/ProductFormPage.tsx";
import { ProductsPage } from "@/features/products/pages/ProductsPage.tsx";
import { ZTransactionsSearchSchema } from "@/features/transactions/api/get-transactions.ts";
import { ZStatementSearchSchema } from "@/features/statements/api/statement.ts";
import { StatementPage } from "@/features/statements/pages/StatementPage.tsx";
import { TransactionsPage } from "@/features/transactions/pages/TransactionsPage.tsx";
import { ZUserHistorySearchSchema } from "@/features/users/api/get-user-transactions.ts";
import { ZUsersSearchSchema } from "@/features/users/api/get-users.ts";
import { UserDetailPage } from "@/features/users/pages/UserDetailPage.tsx";
import { UsersPage } from "@/features/users/pages/UsersPage.tsx";
import { ZWebhooksSearchSchema } from "@/features/webhooks/api/get-webhooks.ts";
import { WebhookPage } from "@/features/webhooks/pages/WebhookPage.tsx";
import { WebhooksPage } from "@/features/webhooks/pages/WebhooksPage.tsx";
import { EndpointPage } from "@/features/integrations/pages/EndpointPage.tsx";
import { EventsPage, ZEventsSearchSchema } from "@/features/integrations/pages/EventsPage.tsx";
import { IntegrationsPage } from "@/features/integrations/pages/IntegrationsPage.tsx";
import { parseSearch, stringifySearch } from "@/lib/search-params.ts";
import { getSession, subscribe } from "@/lib/session.ts";

const root = createRootRoute({ component: Root, notFoundComponent: NotFound });

/** "/users?q=ann" → a redirect there (a path of ours: the /sign-in route's schema checked it). */
function redirectTo(path: string | undefined) {
  if (!path) return redirect({ to: "/dashboard", replace: true });
  const url = new URL(path, window.location.origin);
  return redirect({ to: url.pathname as "/", search: parseSearch(url.search) as never, replace: true });
}

const signIn = createRoute({
  getParentRoute: () => root,
  path: "/sign-in",
  staticData: { title: "Sign in" },
  // Where to go after signing in: a path of ours (not another site's, not sign-in itself).
  validateSearch: z.object({
    next: z
      .string()
      .regex(/^\/(?!\/)(?!sign-in)/)
      .optional()
      .catch(undefined),
  }),
  beforeLoad: ({ search }) => {
    if (getSession()) throw redirectTo(search.next);
  },
  component: SignInPage,
});

/** Every other page: for a signed-in administrator only, in the layout. */
const signedIn = createRoute({
  getParentRoute: () => root,
  id: "_app",
  beforeLoad: ({ location }) => {
    if (!getSession()) throw redirect({ to: "/sign-in", search: { next: location.href }, replace: true });
  },
  component: SignedIn,
  notFoundComponent: NotFound,
});

const page = <P extends string>(path: P, title: string) => ({
  getParentRoute: () => signedIn,
  path,
  staticData: { title },
});

const home = createRoute({
  ...page("/", "Dashboard"),
  beforeLoad: () => {
    throw redirect({ to: "/dashboard", replace: true });
  },
});

const pages = [
  home,
  createRoute({ ...page("/dashboard", "Dashboard"), validateSearch: ZDashboardSearchSchema, component: DashboardPage }),
  createRoute({
    ...page("/transactions", "Transactions"),
    validateSearch: ZTransactionsSearchSchema,
    component: TransactionsPage,
  }),
  createRoute({
    ...page("/webhooks", "Webhook inbox"),
    validateSearch: ZWebhooksSearchSchema,
    component: WebhooksPage,
  }),
  createRoute({
    ...page("/webhooks/$id", "Webhook call"),
    remountDeps: ({ params }) => params,
    component: WebhookPage,
  }),
  createRoute({ ...page("/audit", "Audit log"), validateSearch: ZAuditSearchSchema, component: AuditPage }),
  createRoute({ ...page("/integrations", "Integrations"), component: IntegrationsPage }),
  createRoute({
    ...page("/integrations/events", "Event log"),
    validateSearch: ZEventsSearchSchema,
    component: EventsPage,
  }),
  createRoute({
    ...page("/integrations/endpoints/$id", "Webhook endpoint"),
    remountDeps: ({ params }) => params,
    component: EndpointPage,
  }),
  createRoute({ ...page("/products", "Products"), validateSearch: ZProductsSearchSchema, component: ProductsPage }),
  createRoute({ ...page("/products/new", "New product"), component: ProductFormPage }),
  createRoute({
    ...page("/products/$id/edit", "Edit product"),
    remountDeps: ({ params }) => params,
    component: ProductFormPage,
  }),
  createRoute({ ...page("/users", "Users"), validateSearch: ZUsersSearchSchema, component: UsersPage }),
  createRoute({
    ...page("/users/$id", "User"),
    validateSearch: ZUserHistorySearchSchema,
    remountDeps: ({ params }) => params,
    component: UserDetailPage,
  }),
  createRoute({ ...page("/api-keys", "API keys"), component: ApiKeysPage }),
  createRoute({
    ...page("/accounts/$id/statement", "Statement"),
    validateSearch: ZStatementSearchSchema,
    remountDeps: ({ params }) => params,
    component: StatementPage,
  }),
] as const;

const routeTree = root.addChildren([signIn, signedIn.addChildren(pages)]);

export const router = createRouter({
  routeTree,
  // The API serves the build at /admin (Vite's `base`).
  basepath: import.meta.env.BASE_URL,
  // Plain query strings (?q=tea&page=2), not the default JSON-in-the-URL: the schemas read text.
  parseSearch,
  stringifySearch,
  scrollRestoration: true,
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
  interface StaticDataRouteOption {
    /** The document title's first part ("Products · Shop admin"). */
    title?: string;
  }
}

// A session that starts or ends (sign-in, sign-out, expiry, a token the API refused) decides again who
// may see the page on screen: the guards above run again and redirect.
let signedInBefore = getSession() !== null;
subscribe(() => {
  const signedInNow = getSession() !== null;
  if (signedInNow !== signedInBefore) void router.invalidate();
  signedInBefore = signedInNow;
});
