// The operator's pages end to end in Chromium: the dashboard's figures equal the API's, the books
// balance, the transactions page filters through the URL and exports what it shows as CSV, a purchase
// is refunded (a refusal first, in words from its appCode) and a balance is corrected.
import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { chromiumPath, SKIP_REASON } from "./env.ts";
import { ADMIN, api, type Browser, launchBrowser } from "./harness.ts";

const hasChromium = chromiumPath() !== undefined;
if (!hasChromium) console.warn(`[e2e] operator.e2e.test.ts SKIPPED: ${SKIP_REASON}`);

describe.skipIf(!hasChromium)("the operator's pages in Chromium", () => {
  const base = inject("apiUrl");
  const rest = api(base);
  const run = randomInt(1e6);
  let browser: Browser;
  let page: Page;
  let admin: string;
  let customer: { id: string; login: string; numericId: number; password: string };
  let productId: string;
  const errors: string[] = [];

  const go = (path: string) => page.goto(`${base}/admin${path}`);
  const toast = (text: string | RegExp) => page.locator(".toasts").getByText(text);
  const kpi = (label: string) => page.locator(`[data-kpi="${label}"] .kpi-value`);
  const adminGet = async (path: string) => {
    const response = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    admin = await rest.token(ADMIN.login, ADMIN.password);
    const product = await rest.createProduct(admin, { title: `Teapot ${run}`, price: "10.00" });
    productId = product.id as string;
    customer = await rest.createUser(`ops-${run}`);
    await rest.credit(customer.numericId, 700_000 + (run % 100_000), "50.00", 800_000_000 + run);
    // A forged call (wrong signature) for the inbox.
    await fetch(`${base}/payment/webhook`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: `{"signature":"${"0".repeat(40)}","transaction_id":${900_000_000 + run},"user_id":${customer.numericId},"bill_id":1,"amount":1}`,
    });
    const token = await rest.token(customer.login, customer.password);
    const me = (await rest.me(token)) as { accounts: { id: string }[] };
    await rest.buy(token, product.id as string, me.accounts[0]!.id);

    browser = await launchBrowser();
    page = browser.page;
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      // The refusals provoked below (402, 409) are expected.
      if (message.type() === "error" && !/status of (402|409|404)/.test(message.text())) {
        errors.push(`console: ${message.text()} (${message.location().url})`);
      }
    });
    await go("/");
    await page.getByLabel("Login").fill(ADMIN.login);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Signed in before any test navigates (a test run alone with -t would otherwise race the sign-in).
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
  });

  afterAll(async () => {
    await browser?.stop();
  });

  test("the dashboard is the landing page and shows the API's figures", async () => {
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/admin/dashboard");
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
    const stats = (await adminGet(`/stats?from=${from}&to=${today}`)) as {
      totals: Record<string, string> & { users: Record<string, number> };
    };
    const shown = async (label: string) => (await kpi(label).innerText()).replace(/,/g, "");
    await expect.poll(() => shown("Sales")).toBe(stats.totals.sales);
    expect(await shown("Net revenue")).toBe(stats.totals.netRevenue);
    expect(await shown("Credits")).toBe(stats.totals.credits);
    expect(await shown("Money in wallets")).toBe(stats.totals.walletsTotal);
    expect(await shown("Users active")).toBe(String(stats.totals.users.active));
    expect(await shown("Users pending")).toBe(String(stats.totals.users.pending));
    await expect.poll(() => shown("Refused webhook calls (24 h)")).toMatch(/^[0-9]+$/);

    // Each chart's figures are a table in the accessibility tree, without opening anything, equal to
    // the API's figures (money as its exact text).
    const full = (await adminGet(`/stats?from=${from}&to=${today}`)) as {
      daily: { date: string; sales: string; refunds: string; credits: string; newUsers: number }[];
      topProducts: { productId: string; title: string; count: number; netRevenue: string }[];
    };
    const figures = async (name: string) => {
      const table = page.getByRole("figure", { name }).getByRole("table", { name });
      await table.waitFor({ state: "attached" });
      return table
        .locator("tbody tr")
        .evaluateAll((rows) =>
          rows.map((row) => [...row.querySelectorAll("td")].map((td) => td.textContent!.replace(/,/g, ""))),
        );
    };
    expect(await figures("Sales and refunds per day")).toEqual(full.daily.map((d) => [d.sales, d.refunds]));
    expect(await figures("Credits per day")).toEqual(full.daily.map((d) => [d.credits]));
    expect(await figures("New users per day")).toEqual(full.daily.map((d) => [String(d.newUsers)]));
    expect(await figures("Top products by net revenue")).toEqual(
      full.topProducts.map((p) => [p.netRevenue, String(p.count)]),
    );
    const chart = page.getByRole("figure", { name: "Sales and refunds per day" });
    const table = chart.getByRole("table", { name: "Sales and refunds per day" });
    expect(await table.locator("tbody tr").count()).toBe(30);
    expect(await table.locator("tbody th").first().innerText()).toBe(
      new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(from)),
    );
    // The drawing (visx's SVG) is there for the eyes only; the table is hidden to them until "Table view".
    expect(await chart.locator("svg rect.chart-bar").count()).toBe(60);
    expect(await chart.locator(".chart-plot").getAttribute("aria-hidden")).toBe("true");
    const figuresBox = chart.locator(".chart-figures");
    expect((await figuresBox.boundingBox())!.width).toBeLessThanOrEqual(1);
    await page
      .getByRole("figure", { name: "Top products by net revenue" })
      .getByText(`Teapot ${run}`)
      .first()
      .waitFor();
    // "Table view" is a toggle button reached with the keyboard: the table shows, the drawing goes.
    const toggle = chart.getByRole("button", { name: "Table view" });
    await toggle.focus();
    await page.keyboard.press("Enter");
    expect(await toggle.getAttribute("aria-pressed")).toBe("true");
    await table.waitFor({ state: "visible" });
    expect((await table.boundingBox())!.width).toBeGreaterThan(100);
    expect(await chart.locator("svg").count()).toBe(0);
    await page.keyboard.press("Space");
    expect(await toggle.getAttribute("aria-pressed")).toBe("false");
    await chart.locator("svg").waitFor();

    await page.getByTestId("books").getByText("The books balance.").waitFor();
    // When the figures are true (the API's asOf): the stats' in the header, the books' beside the verdict;
    // read from the primary here, so not "behind".
    const asOf = page.getByTestId("as-of");
    await expect.poll(() => asOf.count()).toBe(2);
    for (const text of await asOf.allInnerTexts()) expect(text).toMatch(/^as of \d{2}:\d{2}:\d{2}$/);

    // The range is kept in the URL.
    await page.getByRole("button", { name: "7 days" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("range")).toBe("7d");
    await page.reload();
    expect(await page.getByRole("button", { name: "7 days" }).getAttribute("aria-pressed")).toBe("true");
    await page.getByRole("button", { name: "Custom" }).click();
    await page.getByLabel("From").fill(today);
    await page.getByRole("button", { name: "Show" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("from")).toBe(today);
    await expect.poll(() => table.locator("tbody tr").count()).toBe(1);
  });

  test("the dashboard at 390 px: charts drawn at the screen's width, their text at its size", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await go("/dashboard");
      const chart = page.getByRole("figure", { name: "Sales and refunds per day" });
      await chart.locator("svg").waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        0,
      );
      const svg = (await chart.locator("svg").boundingBox())!;
      expect(svg.width).toBeGreaterThan(250);
      expect(svg.x + svg.width).toBeLessThanOrEqual(390);
      // Drawn at its real width (no scaling): the labels keep their 11 px.
      const label = (await chart.locator("svg text.chart-label").first().boundingBox())!;
      expect(label.height).toBeGreaterThan(9);
      await chart.getByRole("button", { name: "Table view" }).click();
      const table = chart.getByRole("table", { name: "Sales and refunds per day" });
      await table.waitFor({ state: "visible" });
      // The figures stay a table (not cards) and fit.
      expect(await table.evaluate((t) => getComputedStyle(t).display)).toBe("table");
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        0,
      );
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  test("the dashboard's reports do not wait for each other: the books show while the figures are held back", async () => {
    // GET /stats is the slow report at a year of data (docs/performance.md). Its answer is held here until
    // the books are on screen: in one tRPC batch with it they could not be.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const calls: string[][] = [];
    await page.route("**/trpc/**", async (route) => {
      const procedures = new URL(route.request().url()).pathname.split("/").pop()!.split(",");
      calls.push(procedures);
      if (procedures.includes("stats.get")) await held;
      await route.fallback();
    });
    try {
      await go("/dashboard");
      await page.getByTestId("books").getByText("The books balance.").waitFor();
      expect(await page.getByText("Loading figures…").isVisible()).toBe(true);
      expect(await kpi("Net revenue").count()).toBe(0);
      release();
      await kpi("Net revenue").waitFor();
      // Each report in a request of its own.
      expect(calls.filter((c) => c.includes("stats.get"))).toEqual([["stats.get"]]);
      expect(calls.filter((c) => c.includes("reconciliation.get"))).toEqual([["reconciliation.get"]]);
    } finally {
      release();
      await page.unroute("**/trpc/**");
    }
  });

  test("a year's figures fit their cards, counts grouped", async () => {
    // The totals of the benchmark's year (bench:scale at scale 1), put into this shop's answer on its way.
    await page.route("**/trpc/stats.get**", async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { result: { data: { totals: Record<string, unknown> } } };
      const totals = body.result.data.totals;
      Object.assign(totals, { walletsTotal: "258232000.00", salesCount: 8_000_000 });
      Object.assign(totals.users as object, { active: 990_200 });
      await route.fulfill({ response, json: body });
    });
    try {
      await go("/dashboard");
      await expect.poll(() => kpi("Money in wallets").innerText()).toBe("258,232,000.00");
      expect(await kpi("Users active").innerText()).toBe("990,200");
      await page.locator('[data-kpi="Sales"]').getByText("8,000,000 purchases").waitFor();
      for (const label of ["Money in wallets", "Net revenue", "Users active"]) {
        const overflow = await kpi(label).evaluate((dd) => dd.scrollWidth - dd.clientWidth);
        expect(overflow, label).toBeLessThanOrEqual(0);
      }
    } finally {
      await page.unroute("**/trpc/stats.get**");
    }
  });

  test("transactions: filters in the URL, CSV export of the filtered list", async () => {
    await go(`/transactions?user=${customer.id}`);
    await page.getByRole("heading", { name: "Transactions", level: 1 }).waitFor();
    await expect.poll(() => page.locator(".table-ledger tbody tr").count()).toBe(2);
    await page.getByLabel("Kind").selectOption("purchase");
    await expect.poll(() => new URL(page.url()).searchParams.get("kind")).toBe("purchase");
    await expect.poll(() => page.locator(".table-ledger tbody tr").count()).toBe(1);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    const csv = readFileSync((await download.path())!, "utf8")
      .trim()
      .split(/\r?\n/);
    expect(csv[0]).toMatch(/^id,kind,direction/);
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain(",purchase,");
    expect(csv[1]).toContain(customer.login);
  });

  test("refunds a purchase: a refusal in words, then a partial refund", async () => {
    const purchase = page.locator('.table-ledger tbody tr[data-kind="purchase"]');
    await purchase.getByRole("button", { name: /Refund/ }).click();
    // One dialog is open; its name says the amount and the customer, as typed.
    const dialog = page.getByRole("dialog");
    const titled = (name: string) => page.getByRole("dialog", { name }).waitFor();
    await titled(`Refund 10.00 to ${customer.login}?`);
    await dialog.getByLabel("Amount").fill("20");
    await titled(`Refund 20.00 to ${customer.login}?`);
    await dialog.getByRole("button", { name: "Refund", exact: true }).click();
    await dialog.getByText("Reason must be at least 3 characters").waitFor();
    await dialog.getByLabel("Reason").fill("Lid arrived cracked");
    await dialog.getByRole("button", { name: "Refund", exact: true }).click();
    await toast("Could not refund: That is more than is left to refund on this purchase.").waitFor();

    await dialog.getByLabel("Amount").fill("4");
    await titled(`Refund 4.00 to ${customer.login}?`);
    await dialog.getByRole("button", { name: "Refund", exact: true }).click();
    await toast(`Refunded 4.00 to ${customer.login}`).waitFor();
    await purchase.getByText("4.00 refunded").waitFor();

    await page.getByLabel("Kind").selectOption("");
    await expect.poll(() => page.locator(".table-ledger tbody tr").count()).toBe(3);
    await page.locator('.table-ledger tbody tr[data-kind="refund"]').getByText("Lid arrived cracked").waitFor();
  });

  test("adjusts a balance from the user's page: a refused debit, then a credit", async () => {
    await go(`/users/${customer.id}`);
    await page.getByRole("heading", { name: customer.login, level: 1 }).waitFor();
    const balance = page.locator(".account-card .account-balance").first();
    await expect.poll(() => balance.innerText()).toBe("44.00");

    await page.getByRole("button", { name: /Adjust balance/ }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Debit (take money)").check();
    await dialog.getByLabel("Amount").fill("1000");
    await dialog.getByLabel("Reason").fill("Test debit");
    await page.getByRole("dialog", { name: `Debit 1,000.00 from ${customer.login}?` }).waitFor();
    await dialog.getByRole("button", { name: "Debit", exact: true }).click();
    await toast(/The account does not hold that much/).waitFor();
    expect(await balance.innerText()).toBe("44.00");

    await dialog.getByLabel("Credit (add money)").check();
    await dialog.getByLabel("Amount").fill("5.5");
    await dialog.getByLabel("Reason").fill("Goodwill credit");
    await page.getByRole("dialog", { name: `Credit 5.50 to ${customer.login}?` }).waitFor();
    await dialog.getByRole("button", { name: "Credit", exact: true }).click();
    await toast(`Account #`).waitFor();
    await expect.poll(() => balance.innerText()).toBe("49.50");
    await page.locator(".table-history").getByText("Goodwill credit").waitFor();

    // The books still balance.
    await go("/dashboard");
    await page.getByTestId("books").getByText("The books balance.").waitFor();
    expect(errors).toEqual([]);
  });

  test("the webhook inbox: refused calls by outcome, a credit's body, verdict and ledger entry", async () => {
    await go("/webhooks?outcome=invalid_signature");
    await page.getByRole("heading", { name: "Webhook inbox", level: 1 }).waitFor();
    const forged = page.locator(".table-webhooks tbody tr").filter({ hasText: String(900_000_000 + run) });
    await forged.getByText("Refused: invalid signature").waitFor();

    await go("/webhooks");
    await page.getByLabel("Transaction id", { exact: true }).fill(String(800_000_000 + run));
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("tx")).toBe(String(800_000_000 + run));
    await expect.poll(() => page.locator(".table-webhooks tbody tr").count()).toBe(1);
    await page.locator(".table-webhooks tbody tr").getByRole("link").click();
    await page.getByRole("heading", { name: "Webhook call", level: 1 }).waitFor();
    await page.getByText("Credited", { exact: true }).waitFor();
    expect(await page.locator(".raw-body").innerText()).toContain(`"transaction_id":${800_000_000 + run}`);
    await page.locator(".facts").getByText("200", { exact: true }).waitFor();
    // The exact ledger entry: the credit's own id, shown alone in the ledger.
    const entry = page.getByTestId("ledger-entry");
    await expect
      .poll(() => entry.innerText())
      .toMatch(new RegExp(`^Credit of 50\\.00 to ${customer.login}, account #`));
    const credited = (await adminGet(`/webhooks?transactionId=${800_000_000 + run}`)) as {
      items: { ledgerEntryId: string }[];
    };
    const id = credited.items[0]!.ledgerEntryId;
    await entry.click();
    await page.getByRole("heading", { name: "Transactions", level: 1 }).waitFor();
    expect(new URL(page.url()).searchParams.get("id")).toBe(id);
    await expect.poll(() => page.locator(".table-ledger tbody tr").count()).toBe(1);
    await page.locator(`#tx-${id}`).getByText("+50.00").waitFor();
    expect(await page.getByLabel("Entry id").inputValue()).toBe(id);

    // A replay of that call credited nothing; its page leads to the credit it repeated.
    await rest.credit(customer.numericId, 700_000 + (run % 100_000), "50.00", 800_000_000 + run);
    const replays = (await adminGet(`/webhooks?transactionId=${800_000_000 + run}&outcome=already_processed`)) as {
      items: { id: string }[];
    };
    await go(`/webhooks/${replays.items[0]!.id}`);
    await page.getByText("Already processed (replay)", { exact: true }).waitFor();
    await page.getByText(`Transaction ${800_000_000 + run} was credited before`, { exact: false }).waitFor();
    await page.getByTestId("ledger-entry").click();
    await expect.poll(() => new URL(page.url()).searchParams.get("id")).toBe(id);
    await expect.poll(() => page.locator(".table-ledger tbody tr").count()).toBe(1);
    await page.locator(`#tx-${id}`).waitFor();

    // A refused call with no credit behind its transaction id says so.
    const forgedCalls = (await adminGet(`/webhooks?transactionId=${900_000_000 + run}`)) as { items: { id: string }[] };
    await go(`/webhooks/${forgedCalls.items[0]!.id}`);
    await page.getByText("None: nothing was credited", { exact: true }).waitFor();
    expect(await page.getByTestId("ledger-entry").count()).toBe(0);
  });

  test("users sort by login, total balance and join date: headers with aria-sort, the order in the URL", async () => {
    const stem = `srt${run}`;
    // Joined in this order; logins and totals in other orders.
    const carol = await rest.createUser(`${stem}-carol`);
    const alice = await rest.createUser(`${stem}-alice`);
    const bob = await rest.createUser(`${stem}-bob`);
    // Bills of their own (a bill belongs to one user): far from the other tests' numbers.
    await rest.credit(carol.numericId, randomInt(2e9, 3e9), "9.99");
    await rest.credit(alice.numericId, randomInt(2e9, 3e9), "100.00");
    await rest.credit(alice.numericId, randomInt(2e9, 3e9), "0.01");
    const logins = () => page.locator(".table-users tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.login));
    const header = (name: string) => page.getByRole("columnheader", { name });
    const apiOrder = async (sort: string, order: string) =>
      (
        (await adminGet(`/users?search=${stem}&sort=${sort}&order=${order}`)) as { items: { login: string }[] }
      ).items.map((u) => u.login);

    await go(`/users?q=${stem}`);
    await expect.poll(logins).toEqual([carol.login, alice.login, bob.login]);
    expect(await header("Joined").getAttribute("aria-sort")).toBe("ascending");
    expect(await header("User").getAttribute("aria-sort")).toBeNull();

    // The balance order is the API's (with roll-ups, a total may be a minute behind; every row shows
    // its live total): the page shows exactly the API's order.
    const showsApiOrder = (order: string) => async () =>
      JSON.stringify(await logins()) === JSON.stringify(await apiOrder("balance", order));
    await header("Total balance").getByRole("button").click();
    await expect.poll(showsApiOrder("desc")).toBe(true);
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toMatchObject({ sort: "balance", order: "desc" });
    expect(await header("Total balance").getAttribute("aria-sort")).toBe("descending");
    expect(await header("Joined").getAttribute("aria-sort")).toBeNull();
    const aliceRow = page.locator(`.table-users tbody tr[data-login="${alice.login}"]`);
    expect(await aliceRow.locator('td[data-label="Total balance"]').innerText()).toBe("100.01");

    // The same header again flips the order, from the keyboard too.
    await header("Total balance").getByRole("button").focus();
    await page.keyboard.press("Enter");
    await expect.poll(showsApiOrder("asc")).toBe(true);
    expect(await header("Total balance").getAttribute("aria-sort")).toBe("ascending");

    await header("User").getByRole("button").click();
    await expect.poll(logins).toEqual([alice.login, bob.login, carol.login]);
    expect(await logins()).toEqual(await apiOrder("login", "asc"));
    await page.reload();
    await expect.poll(logins).toEqual([alice.login, bob.login, carol.login]);
    expect(await header("User").getAttribute("aria-sort")).toBe("ascending");

    await header("Joined").getByRole("button").click();
    await expect.poll(logins).toEqual([bob.login, alice.login, carol.login]);
    expect(await header("Joined").getAttribute("aria-sort")).toBe("descending");
    await page.goBack();
    await expect.poll(logins).toEqual([alice.login, bob.login, carol.login]);
  });

  test("the audit log: filtered by action, a price change as a diff, a link to its target", async () => {
    const put = await fetch(`${base}/products/${productId}`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${admin}`, "Content-Type": "application/json" },
      body: JSON.stringify({ price: "12.00" }),
    });
    expect(put.status).toBe(200);
    await go("/audit");
    await page.getByRole("heading", { name: "Audit log", level: 1 }).waitFor();
    await page.getByLabel("Action", { exact: true }).selectOption("product.update");
    await expect.poll(() => new URL(page.url()).searchParams.get("action")).toBe("product.update");
    const entry = page.locator('.table-audit tbody tr[data-action="product.update"]').first();
    await entry.locator(".diff-old").getByText("10.00").waitFor();
    await entry.locator(".diff-new").getByText("12.00").waitFor();
    await entry.getByText("admin").waitFor();

    await page.getByLabel("Action", { exact: true }).selectOption("account.adjust");
    await page.locator('.table-audit tbody tr[data-action="account.adjust"]').first().waitFor();

    await page.getByLabel("Action", { exact: true }).selectOption("product.update");
    await entry.getByRole("link", { name: /^product / }).click();
    await page.getByRole("heading", { name: "Edit product", level: 1 }).waitFor();
  });

  test("a pending user gets a new activation link instead of Enable", async () => {
    const response = await fetch(`${base}/users`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ login: `pending-${run}`, password: "user-password-1" }),
    });
    expect(response.status).toBe(201);
    await go("/users?status=pending");
    const row = page.getByRole("row").filter({ hasText: `pending-${run}` });
    await row.getByText("Pending", { exact: true }).waitFor();
    expect(await row.getByRole("button", { name: /^Enable/ }).count()).toBe(0);
    await row.getByRole("button", { name: `New activation link for pending-${run}` }).click();
    await toast(/Activation link for pending-/).waitFor();
    const url = await row.getByLabel(`Activation link for pending-${run}`).inputValue();
    expect((await fetch(url)).status).toBe(200);
    expect((await rest.login(`pending-${run}`, "user-password-1")).status).toBe(200);
  });

  test("restores a deleted product, with a Deleted column when deleted ones are shown", async () => {
    const product = await rest.createProduct(admin, { title: `Saucer ${run}`, price: "3.00" });
    const del = await fetch(`${base}/products/${product.id as string}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${admin}` },
    });
    expect(del.status).toBe(200);
    await go(`/products?deleted=1&q=Saucer ${run}`);
    await page.getByRole("columnheader", { name: "Deleted" }).waitFor();
    const row = page.getByRole("row").filter({ hasText: `Saucer ${run}` });
    await row.getByRole("button", { name: `Restore Saucer ${run}` }).click();
    await toast(`“Saucer ${run}” is restored`).waitFor();
    await row.getByRole("link", { name: `Edit Saucer ${run}` }).waitFor();

    // The price field says what is wrong.
    await go("/products/new");
    await page.getByLabel("Price").fill("99999999999999");
    await page.getByRole("button", { name: "Create product" }).click();
    await page.getByText("Price must be at most 1000000000.00 (one billion)").waitFor();
    await page.getByLabel("Price").fill("abc");
    await page.getByText("Price must be a number").waitFor();
    await page.getByLabel("Price").fill("");
    await page.getByText("Price is required").waitFor();
    expect(errors).toEqual([]);
  });
});
