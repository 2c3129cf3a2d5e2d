// The admin dashboard's load in real Chromium, for `npm run bench:scale -- --dashboard` (scale.ts): a
// fresh page per load, signed in as the bench's administrator, timed from navigation start until the
// dashboard shows its figures (the key figures from GET /stats and the books from GET /reconciliation
// are in the page and painted) — concrete content, not network idle. Then a full-page screenshot.
// Chromium and the SPA build are the admin e2e tests' own (apps/admin/e2e/harness.ts: Debian's Chromium
// through playwright-core, a fresh profile, 1280×800).
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { chromiumPath, SKIP_REASON } from "../../admin/e2e/env.ts";
import { launchBrowser } from "../../admin/e2e/harness.ts";
import { REPO_ROOT } from "./config.ts";
import { percentile } from "./stats.ts";

export { ensureBuilt as ensureAdminBuilt } from "../../admin/e2e/harness.ts";

/** Where the screenshot goes (the lead's scale-1 run is the one kept in the repository). */
export const DASHBOARD_SCREENSHOT = "docs/screenshots/dashboard-scale.png";

/** The SPA's signed-in session as it keeps it in localStorage (apps/admin/src/lib/session.ts). */
export interface AdminSession {
  token: string;
  expiresAt: number;
  userId: string;
  login: string;
}
const SESSION_KEY = "shop-admin.session";

/**
 * Runs in each page before the SPA: keeps the session, and records `performance.now()` (milliseconds
 * since this navigation started) in the first animation frame after the key figures, and after the
 * books' equation, are in the document — the frame that paints them. Text, not a function: this
 * package is type-checked without the DOM's types.
 */
const pageScript = (session: AdminSession) => `(() => {
  localStorage.setItem(${JSON.stringify(SESSION_KEY)}, ${JSON.stringify(JSON.stringify(session))});
  const marks = (window.dashboardMarks = {});
  const parts = {
    figures: '[data-kpi="Net revenue"] .kpi-value',
    books: '[data-testid="books"] .books-equation dd',
  };
  const observer = new MutationObserver(() => {
    for (const [name, selector] of Object.entries(parts)) {
      if (name in marks || !document.querySelector(selector)) continue;
      marks[name] = null;
      requestAnimationFrame(() => { marks[name] = performance.now(); });
    }
    if (Object.keys(marks).length === Object.keys(parts).length) observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

/** When the key figures and the books were painted, and the tRPC requests that brought them. */
interface Marks {
  figures: number;
  books: number;
  /** Each /trpc request: its procedures, sent and answered (ms since navigation start). */
  requests: { procedures: string; start: number; end: number }[];
  /** The page's own start: the HTML received, the scripts received, DOMContentLoaded (after they ran). */
  html: number;
  scripts: number;
  ready: number;
}

/**
 * In the page: the marks once both parts are painted, or "sign-in" when the SPA refused the session.
 * A function (the SPA's Content-Security-Policy allows no eval of a text), typed without the DOM.
 */
function painted(): Marks | "sign-in" | undefined {
  const page = globalThis as unknown as {
    dashboardMarks: { figures?: number | null; books?: number | null };
    location: { pathname: string };
    performance: {
      getEntriesByType(type: "resource"): { name: string; startTime: number; responseEnd: number }[];
      getEntriesByType(type: "navigation"): { responseEnd: number; domContentLoadedEventEnd: number }[];
    };
  };
  if (page.location.pathname.endsWith("/sign-in")) return "sign-in";
  const { figures, books } = page.dashboardMarks;
  if (typeof figures !== "number" || typeof books !== "number") return undefined;
  const resources = page.performance.getEntriesByType("resource");
  const navigation = page.performance.getEntriesByType("navigation")[0];
  const scripts = resources.filter((entry) => new URL(entry.name).pathname.endsWith(".js"));
  const requests = resources
    .filter((entry) => new URL(entry.name).pathname.startsWith("/trpc/"))
    .map((entry) => ({
      procedures: new URL(entry.name).pathname.slice("/trpc/".length),
      start: entry.startTime,
      end: entry.responseEnd,
    }));
  return {
    figures,
    books,
    requests,
    html: navigation?.responseEnd ?? 0,
    scripts: Math.max(0, ...scripts.map((entry) => entry.responseEnd)),
    ready: navigation?.domContentLoadedEventEnd ?? 0,
  };
}

export interface DashboardFigures {
  /** Each load's time to both parts painted, in the order measured (the first with the browser's cache cold). */
  times: number[];
  median: number;
  /** The medians of the key figures' and the books' own times. */
  figuresMedian: number;
  booksMedian: number;
  screenshot: string;
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  )!;

/** `loads` fresh pages of `${baseUrl}/admin/dashboard`, timed; the median; then the screenshot. */
export async function measureDashboard(options: {
  baseUrl: string;
  session: AdminSession;
  loads?: number;
  log(message: string): void;
}): Promise<DashboardFigures> {
  if (!chromiumPath()) throw new Error(`--dashboard: ${SKIP_REASON}`);
  const loads = options.loads ?? 5;
  const browser = await launchBrowser();
  try {
    // A cold report can take seconds at scale 1: wait up to two minutes for the figures.
    browser.context.setDefaultTimeout(120_000);
    await browser.context.addInitScript({ content: pageScript(options.session) });
    const url = `${options.baseUrl}/admin/dashboard`;
    const loaded: Marks[] = [];
    for (let i = 0; i < loads; i++) {
      const page = await browser.context.newPage();
      try {
        await page.goto(url, { waitUntil: "commit" });
        const marks = await (await page.waitForFunction(painted, undefined, { polling: 100 })).jsonValue();
        if (marks === "sign-in" || marks === undefined) {
          throw new Error("the dashboard sent the browser to the sign-in page: the session was not accepted");
        }
        loaded.push(marks);
        const requests = marks.requests
          .map((r) => `${r.procedures} ${r.start.toFixed(0)}→${r.end.toFixed(0)}`)
          .join(", ");
        options.log(
          `dashboard load ${i + 1}/${loads}: key figures painted at ${marks.figures.toFixed(0)} ms, books at ${marks.books.toFixed(0)} ms (HTML ${marks.html.toFixed(0)}, scripts ${marks.scripts.toFixed(0)}, DOMContentLoaded ${marks.ready.toFixed(0)}; requests sent→answered: ${requests})`,
        );
        if (i === loads - 1) {
          // The screenshot: the whole page once every figure is there (the refused webhook calls too).
          await page
            .locator('[data-kpi="Refused webhook calls (24 h)"] .kpi-value')
            .filter({ hasNotText: "…" })
            .waitFor();
          await page.mouse.move(0, 0);
          const path = join(REPO_ROOT, DASHBOARD_SCREENSHOT);
          mkdirSync(dirname(path), { recursive: true });
          await page.screenshot({ path, fullPage: true, animations: "disabled" });
        }
      } finally {
        await page.close();
      }
    }
    const times = loaded.map((m) => Math.max(m.figures, m.books));
    return {
      times,
      median: median(times),
      figuresMedian: median(loaded.map((m) => m.figures)),
      booksMedian: median(loaded.map((m) => m.books)),
      screenshot: DASHBOARD_SCREENSHOT,
    };
  } finally {
    await browser.stop();
  }
}
