// Entry point: providers (TanStack Query, auth, toasts) and the routes.
import { QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, StrictMode, useEffect } from "react";
import { createRoot } from "react-dom/client";
import { AuthProvider, useAuth } from "./auth.tsx";
import { Layout, PageHeader } from "./components/Layout.tsx";
import { ToastProvider } from "./components/Toasts.tsx";
import { ProductFormPage } from "./pages/ProductFormPage.tsx";
import { ProductsPage } from "./pages/ProductsPage.tsx";
import { SignInPage } from "./pages/SignInPage.tsx";
import { UserDetailPage } from "./pages/UserDetailPage.tsx";
import { UsersPage } from "./pages/UsersPage.tsx";
import { Link, matchPath, navigate, useLocation } from "./router.tsx";
import { queryClient } from "./trpc.ts";
import "./styles.css";

const TITLE = "Shop admin";

/** The page for a path, and its document title. */
function route(path: string): { title: string; page: ReactNode } {
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
        There is nothing at this address. <Link to="/products">Go to products</Link>
      </p>
    </>
  );
}

/** Where to go after signing in: the page that asked for it, if it is one of ours. */
function nextPath(search: URLSearchParams): string {
  const next = search.get("next");
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/sign-in") ? next : "/products";
}

function App() {
  const { session } = useAuth();
  const { path, fullPath, search } = useLocation();
  const signingIn = path === "/sign-in";

  // Guard: signed out → sign-in (remembering the page); signed in → away from sign-in.
  const redirect =
    !session && !signingIn
      ? `/sign-in?next=${encodeURIComponent(fullPath)}`
      : session && signingIn
        ? nextPath(search)
        : path === "/"
          ? "/products"
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

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <AuthProvider>
          <App />
        </AuthProvider>
      </ToastProvider>
    </QueryClientProvider>
  </StrictMode>,
);
