// Screenshots of every page for docs/screenshots/, against a fresh API with demo data:
//   npm run screenshots -w @shop/admin
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { chromiumPath, SKIP_REASON } from "./env.ts";
import { ADMIN, api, ensureBuilt, launchBrowser, REPO_ROOT, startApi } from "./harness.ts";

const OUT = join(REPO_ROOT, "docs", "screenshots");

if (!chromiumPath()) {
  console.warn(`screenshots skipped: ${SKIP_REASON}`);
  process.exit(0);
}

await ensureBuilt();
const server = await startApi();
const browser = await launchBrowser();
mkdirSync(OUT, { recursive: true });

/** One part of the page (a section), as it is laid out. */
async function shotOf(page: Page, locator: Locator, name: string) {
  await page.waitForLoadState("networkidle");
  await page.mouse.move(0, 0);
  // The sticky top bar would be drawn over a part scrolled under it.
  await page.addStyleTag({ content: ".topbar { position: static !important; }" });
  await locator.screenshot({ path: join(OUT, `${name}.png`), animations: "disabled" });
  console.log(`docs/screenshots/${name}.png`);
}

async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  await page.waitForLoadState("networkidle");
  await page.mouse.move(0, 0);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: options.fullPage ?? true, animations: "disabled" });
  console.log(`docs/screenshots/${name}.png`);
}

try {
  // ---- Demo data, created the way clients would ----
  const rest = api(server.url);
  const admin = await rest.token(ADMIN.login, ADMIN.password);
  const products = [
    ["Flat white", "Double ristretto with velvety steamed milk.", "3.80"],
    ["Espresso", "A short, strong shot of our house blend.", "2.40"],
    ["Cinnamon bun", "Baked every morning, with cardamom sugar.", "4.25"],
    [
      "Pour-over Ethiopia Yirgacheffe",
      "Floral and bright: jasmine, bergamot and lemon notes. Brewed to order on a V60.",
      "5.50",
    ],
    ["Coffee beans, 1 kg", "Whole beans, roasted this week. Ships in a resealable bag.", "32.00"],
    ["Gift card", "Spend it on anything in the shop. Never expires.", "50.00"],
    ["Espresso machine", "Dual boiler, PID temperature control, rotary pump.", "1849.00"],
    ["Oat latte", "Espresso with steamed oat milk.", "4.10"],
  ] as const;
  const created: Record<string, string> = {};
  for (const [title, description, price] of products) {
    const p = await rest.createProduct(admin, { title, description, price });
    created[title] = p.id as string;
  }

  const people = [
    {
      login: "alice",
      credits: [
        ["100", 1001],
        ["250.75", 1001],
      ] as const,
      buys: ["Flat white", "Cinnamon bun", "Coffee beans, 1 kg"],
    },
    {
      login: "bob.martin",
      credits: [
        ["40", 2001],
        ["1200", 2002],
      ] as const,
      buys: ["Espresso", "Espresso"],
    },
    { login: "carol", credits: [["15.5", 3001]] as const, buys: ["Oat latte"] },
    { login: "dmitri", credits: [] as const, buys: [] },
    { login: "erin_k", credits: [["60", 5001]] as const, buys: ["Gift card"] },
    { login: "farah", credits: [["1999.99", 6001]] as const, buys: ["Espresso machine"] },
  ];
  let tx = 900_000;
  const ids: Record<string, string> = {};
  for (const person of people) {
    const user = await rest.createUser(person.login);
    ids[person.login] = user.id;
    for (const [amount, bill] of person.credits) await rest.credit(user.numericId, bill, amount, ++tx);
    if (person.buys.length > 0) {
      const token = await rest.token(user.login, user.password);
      const me = (await rest.me(token)) as { accounts: { id: string }[] };
      for (const title of person.buys) await rest.buy(token, created[title]!, me.accounts[0]!.id);
    }
  }
  await rest.setActive(admin, ids.carol!, false);

  // A refund, an adjustment, a forged webhook call and a user who never activated.
  const ledger = (await (
    await fetch(`${server.url}/transactions?kind=purchase&userId=${ids.alice}`, {
      headers: { Authorization: `Bearer ${admin}` },
    })
  ).json()) as { items: { id: string; accountId: string }[] };
  const post = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${admin}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  await post(`/transactions/${ledger.items[0]!.id}/refund`, { amount: "2.00", reason: "Arrived cold" });
  await post(`/accounts/${ledger.items[0]!.accountId}/adjustments`, {
    direction: "credit",
    amount: "5.00",
    reason: "Goodwill after a late delivery",
  });
  await fetch(`${server.url}/payment/webhook`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: `{"signature":"${"0".repeat(40)}","transaction_id":999001,"user_id":1,"bill_id":1,"amount":10}`,
  });
  await fetch(`${server.url}/products/${created["Oat latte"]}`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${admin}`, "Content-Type": "application/json" },
    body: JSON.stringify({ price: "4.30" }),
  });
  await fetch(`${server.url}/users`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ login: "gustav", password: "user-password-1" }),
  });

  // ---- Desktop, 1280 px ----
  const page = browser.page;
  const go = (path: string) => page.goto(`${server.url}/admin${path}`);

  await go("/sign-in");
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await shot(page, "sign-in", { fullPage: false });

  await page.getByLabel("Login").fill("alice");
  await page.getByLabel("Password").fill("user-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").waitFor();
  await shot(page, "sign-in-refused", { fullPage: false });

  await page.getByLabel("Login").fill(ADMIN.login);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
  await page.getByTestId("books").waitFor();
  await shot(page, "dashboard");
  // A chart's figures as a table ("Table view"; screen readers have the table either way).
  const charts = page.locator("section").filter({ has: page.getByRole("heading", { name: "Per day" }) });
  await page
    .getByRole("figure", { name: "Sales and refunds per day" })
    .getByRole("button", { name: "Table view" })
    .click();
  await shotOf(page, charts, "dashboard-table-view");

  await go("/products");
  await page.locator("tbody tr").first().waitFor();
  await shot(page, "products-list");

  await page
    .getByRole("row")
    .filter({ hasText: "Gift card" })
    .getByRole("button", { name: /Delete/ })
    .click();
  await page.getByRole("dialog").waitFor();
  await shot(page, "product-delete-dialog", { fullPage: false });
  await page.keyboard.press("Escape");

  await page.getByRole("row").filter({ hasText: "Pour-over" }).getByRole("link", { name: /Edit/ }).click();
  await page.getByRole("heading", { name: "Edit product" }).waitFor();
  await shot(page, "product-form", { fullPage: false });

  await go("/products/new");
  await page.getByRole("heading", { name: "New product" }).waitFor();
  await page.getByLabel("Description").fill("Seasonal: spiced pumpkin syrup, espresso and milk.");
  await page.getByLabel("Price").fill("4.999");
  await page.getByRole("button", { name: "Create product" }).click();
  await page.getByText("Title is required").waitFor();
  await shot(page, "product-form-errors", { fullPage: false });

  await go("/users?sort=balance&order=desc");
  await page.locator("tbody tr").first().waitFor();
  await shot(page, "users-list", { fullPage: false });

  await go(`/users/${ids.alice}`);
  await page.getByRole("heading", { name: "alice", level: 1 }).waitFor();
  await page.getByRole("heading", { name: "Transaction history" }).waitFor();
  await page.locator(".table-history tbody tr").first().waitFor();
  await shot(page, "user-detail");

  await page.getByRole("button", { name: "Disable alice" }).click();
  await page.getByRole("dialog").waitFor();
  await shot(page, "user-disable-dialog", { fullPage: false });
  await page.keyboard.press("Escape");

  await go("/transactions");
  await page.locator(".table-ledger tbody tr").first().waitFor();
  await shot(page, "transactions");
  await page
    .locator('.table-ledger tbody tr[data-kind="purchase"]')
    .first()
    .getByRole("button", { name: /Refund/ })
    .click();
  await page.getByRole("dialog").getByLabel("Reason").fill("Item arrived broken");
  await shot(page, "refund-dialog", { fullPage: false });
  await page.keyboard.press("Escape");

  await go(`/users/${ids.alice}`);
  await page
    .getByRole("button", { name: /Adjust balance/ })
    .first()
    .click();
  await page.getByRole("dialog").getByLabel("Amount").fill("5.00");
  await shot(page, "adjust-dialog", { fullPage: false });
  await page.keyboard.press("Escape");

  await go("/webhooks");
  await page.locator(".table-webhooks tbody tr").first().waitFor();
  await shot(page, "webhooks");
  await page.locator('.table-webhooks tbody tr[data-outcome="credited"]').first().getByRole("link").click();
  await page.getByRole("heading", { name: "Webhook call", level: 1 }).waitFor();
  await page.getByTestId("ledger-entry").waitFor();
  await shot(page, "webhook-call");
  // Its link: the ledger showing that one entry.
  await page.getByTestId("ledger-entry").click();
  await page.locator(".table-ledger tbody tr").first().waitFor();
  await shot(page, "transactions-entry", { fullPage: false });

  await go("/audit");
  await page.locator(".table-audit tbody tr").first().waitFor();
  await shot(page, "audit");

  await go("/users?status=pending");
  await page.locator("tbody tr").first().waitFor();
  await shot(page, "users-pending", { fullPage: false });

  await go("/products?deleted=1");
  await page.locator("tbody tr").first().waitFor();
  await shot(page, "products-deleted", { fullPage: false });

  // ---- Narrow screen, 390 px ----
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [path, name, ready] of [
    ["/dashboard", "dashboard-narrow", "[data-testid=books]"],
    ["/transactions", "transactions-narrow", ".table-ledger tbody tr"],
    ["/webhooks", "webhooks-narrow", ".table-webhooks tbody tr"],
    ["/audit", "audit-narrow", ".table-audit tbody tr"],
  ] as const) {
    await go(path);
    await page.locator(ready).first().waitFor();
    await shot(page, name, { fullPage: false });
  }
  await go("/dashboard");
  await page.getByTestId("books").waitFor();
  await shotOf(page, charts, "dashboard-charts-narrow");
  await go("/products");
  await page.locator("tbody tr").first().waitFor();
  await shot(page, "products-list-narrow", { fullPage: false });
  await go("/users?sort=balance&order=desc");
  await page.locator("tbody tr").first().waitFor();
  await shot(page, "users-list-narrow", { fullPage: false });
  await go("/webhooks?outcome=credited");
  await page.locator(".table-webhooks tbody tr").first().getByRole("link").click();
  await page.getByTestId("ledger-entry").waitFor();
  await shot(page, "webhook-call-narrow", { fullPage: false });
  await go(`/users/${ids["bob.martin"]}`);
  await page.locator(".table-history tbody tr").first().waitFor();
  await shot(page, "user-detail-narrow", { fullPage: false });
  await go(`/products/${created["Espresso"]}/edit`);
  await page.getByRole("heading", { name: "Edit product" }).waitFor();
  await shot(page, "product-form-narrow", { fullPage: false });
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await shot(page, "sign-in-narrow", { fullPage: false });
} finally {
  await browser.stop();
  await server.stop();
}
