// The app: which page a path shows (and its document title), and the guard around them — signed out
// → sign-in (remembering the page asked for); signed in → away from sign-in.
import { type ReactNode, useEffect } from "react";
import { Layout, PageHeader } from "./components/Layout.tsx";
import { SignInPage } from "./features/auth/pages/SignInPage.tsx";
import { AuditPage } from "./features/audit/pages/AuditPage.tsx";
import { DashboardPage } from "./features/dashboard/pages/DashboardPage.tsx";
import { ProductFormPage } from "./features/products/pages/ProductFormPage.tsx";
import { ProductsPage } from "./features/products/pages/ProductsPage.tsx";
import { TransactionsPage } from "./features/transactions/pages/TransactionsPage.tsx";
import { UserDetailPage } from "./features/users/pages/UserDetailPage.tsx";
import { UsersPage } from "./features/users/pages/UsersPage.tsx";
import { WebhookPage } from "./features/webhooks/pages/WebhookPage.tsx";
import { WebhooksPage } from "./features/webhooks/pages/WebhooksPage.tsx";
import { EndpointPage } from "./features/integrations/pages/EndpointPage.tsx";
import { EventsPage } from "./features/integrations/pages/EventsPage.tsx";
import { IntegrationsPage } from "./features/integrations/pages/IntegrationsPage.tsx";
import { useAuth } from "./lib/auth.tsx";
import { Link, matchPath, navigate, useLocation } from "./lib/router.tsx";

const TITLE = "Shop admin";

/** The page for a path, and its document title. */
function route(path: string): { title: string; page: ReactNode } {
  if (path === "/dashboard") return { title: "Dashboard", page: <DashboardPage /> };
  if (path === "/transactions") return { title: "Transactions", page: <TransactionsPage /> };
  if (path === "/webhooks") return { title: "Webhook inbox", page: <WebhooksPage /> };
  const webhook = matchPath("/webhooks/:id", path);
  if (webhook) return { title: "Webhook call", page: <WebhookPage key={webhook.id} id={webhook.id} /> };
  if (path === "/audit") return { title: "Audit log", page: <AuditPage /> };
  if (path === "/integrations") return { title: "Integrations", page: <IntegrationsPage /> };
  if (path === "/integrations/events") return { title: "Event log", page: <EventsPage /> };
  const endpoint = matchPath("/integrations/endpoints/:id", path);
  if (endpoint) return { title: "Webhook endpoint", page: <EndpointPage key={endpoint.id} id={endpoint.id} /> };
  if (path === "/products") return { title: "Products", page: <ProductsPage /> };
  if (path === "/products/new") return { title: "New product", page: <ProductFormPage /> };
  const edit = matchPath("/products/:id/edit", path);
  if (edit) return { title: "Edit product", page: <ProductFormPage key={edit.id} id={edit.id} /> };
  if (path === "/users") return { title: "Users", page: <UsersPage /> };
  const user = matchPath("/users/:id", path);
  if (user) return { title: "User", page: <UserDetailPage key={user.id} id={user.id} /> };
  return { title: "Not found", page: <NotFound /> };
}

function NotFound() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is nothing at this address. <Link to="/dashboard">Go to the dashboard</Link>
      </p>
    </>
  );
}

/** Where to go after signing in: the page that asked for it, if it is one of ours. */
function nextPath(search: URLSearchParams): string {
  const next = search.get("next");
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/sign-in") ? next : "/dashboard";
}

export function App() {
  const { session } = useAuth();
  const { path, fullPath, search } = useLocation();
  const signingIn = path === "/sign-in";

  const redirect =
    !session && !signingIn
      ? `/sign-in?next=${encodeURIComponent(fullPath)}`
      : session && signingIn
        ? nextPath(search)
        : path === "/"
          ? "/dashboard"
          : null;
  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  const current = signingIn ? { title: "Sign in", page: null } : route(path);
  useEffect(() => {
    document.title = `${current.title} · ${TITLE}`;
  }, [current.title]);

  if (redirect) return null;
  if (!session) return <SignInPage />;
  return <Layout>{current.page}</Layout>;
}
