// The frames of the pages (the route tree is src/router.tsx's): the root sets the document title from
// the page shown; the signed-in pages sit in the layout (header, navigation, sign-out). Who may see what
// is decided before a page renders (beforeLoad in src/router.tsx): signed out → sign-in, remembering
// the page asked for; signed in → away from sign-in.
import { Link, Outlet, useRouterState } from "@tanstack/react-router";
import { useEffect } from "react";
import { Layout, PageHeader } from "@/components/Layout.tsx";

const TITLE = "Shop admin";

export function Root() {
  const title = useRouterState({ select: (state) => state.matches.at(-1)?.staticData.title });
  useEffect(() => {
    document.title = `${title ?? "Not found"} · ${TITLE}`;
  }, [title]);
  return <Outlet />;
}

export function SignedIn() {
  return (
    <Layout>
      <Outlet />
    </Layout>
  );
}

export function NotFound() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is nothing at this address. <Link to="/dashboard">Go to the dashboard</Link>
      </p>
    </>
  );
}
