// The frame of every signed-in page: a skip link, the header with navigation and sign-out, and main.
import { Link, useLocation } from "@tanstack/react-router";
import { type ReactNode, useEffect, useRef } from "react";
import { useAuth } from "@/lib/auth.tsx";

/** The header's navigation, in order (a page is registered in src/router.tsx). */
const NAV = [
  { to: "/dashboard", label: "Dashboard" },
  { to: "/transactions", label: "Transactions" },
  { to: "/products", label: "Products" },
  { to: "/users", label: "Users" },
  { to: "/webhooks", label: "Webhooks" },
  { to: "/audit", label: "Audit" },
  { to: "/api-keys", label: "API keys" },
  { to: "/integrations", label: "Integrations" },
] as const;

export function Layout({ children }: { children: ReactNode }) {
  const { session, signOut } = useAuth();
  const path = useLocation({ select: (location) => location.pathname });
  const firstPath = useRef(path);

  // After moving to another page, put focus on its heading, as a full page load would start there.
  useEffect(() => {
    if (path === firstPath.current) return;
    firstPath.current = "";
    document.querySelector<HTMLElement>("main h1")?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [path]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/dashboard" className="brand">
            <span className="brand-mark" aria-hidden="true">
              S
            </span>
            Shop admin
          </Link>
          <nav aria-label="Main" className="nav">
            {NAV.map((item) => {
              const current = path === item.to || path.startsWith(`${item.to}/`);
              return (
                <Link key={item.to} to={item.to} className="nav-link" aria-current={current ? "page" : undefined}>
                  {item.label}
                </Link>
              );
            })}
          </nav>
          <div className="account">
            <span className="account-name" title="Signed in as">
              <span className="visually-hidden">Signed in as </span>
              {session?.login}
            </span>
            <button type="button" className="button button-quiet" onClick={signOut}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main id="main" className="main">
        {children}
      </main>
    </div>
  );
}

/** The page's heading row: the h1 (focus target after navigation) and the page's main actions. */
export function PageHeader({ title, children, lead }: { title: ReactNode; children?: ReactNode; lead?: ReactNode }) {
  return (
    <div className="page-header">
      <div>
        <h1 tabIndex={-1}>{title}</h1>
        {lead ? <div className="page-lead">{lead}</div> : null}
      </div>
      {children ? <div className="page-actions">{children}</div> : null}
    </div>
  );
}
