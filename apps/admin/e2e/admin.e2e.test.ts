// The admin SPA end to end: real Chromium, the real API (started by global-setup.ts on a fresh
// embedded database), the built SPA served by the API at /admin.
import { randomInt, randomUUID } from "node:crypto";
import { send } from "@shop/api/test-support/http";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { chromiumPath, SKIP_REASON } from "./env.ts";
import { ADMIN, api, type Browser, expiredToken, launchBrowser } from "./harness.ts";

const hasChromium = chromiumPath() !== undefined;
if (!hasChromium) console.warn(`[e2e] admin.e2e.test.ts SKIPPED: ${SKIP_REASON}`);

/** Waits until `check` passes (for state that arrives asynchronously, e.g. over the network). */
async function eventually(check: () => Promise<void> | void, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe.skipIf(!hasChromium)("admin SPA in Chromium", () => {
  const base = inject("apiUrl");
  const rest = api(base);
  const run = randomInt(1e6);
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  let dave: { id: string; login: string } | undefined;

  const go = (path: string) => page.goto(`${base}/admin${path}`);
  const toast = (text: string | RegExp) => page.locator(".toasts").getByText(text);
  const row = (text: string) => page.getByRole("row").filter({ hasText: text });

  async function signIn(login: string, password: string) {
    await page.getByLabel("Login").fill(login);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    page = browser.page;
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      // Refused requests (401, 403, 404, 429) and the network failures simulated below are expected.
      if (message.type() === "error" && !/status of (40[134]|429)|net::ERR_FAILED/.test(message.text())) {
        errors.push(`console: ${message.text()} (${message.location().url})`);
      }
    });
  });

  afterAll(async () => {
    await browser?.stop();
  });

  test("the SPA is served at /admin, from this host only", async () => {
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await go("/");
    await expect.poll(() => new URL(page.url()).pathname).toBe("/admin/sign-in");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.title()).toBe("Sign in · Shop admin");
    expect(requests.every((url) => url.startsWith(base))).toBe(true);
    page.removeAllListeners("request");
  });

  test("sign-in validates with the API's schema and refuses a wrong password", async () => {
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Login is required").waitFor();
    await page.getByText("Password is required").waitFor();
    expect(await page.getByLabel("Login").evaluate((el) => el === document.activeElement)).toBe(true);

    await signIn(ADMIN.login, "wrong-password");
    await page.getByRole("alert").getByText("Wrong login or password.").waitFor();
  });

  test("too many failed sign-ins for a login are told apart from a wrong password", async () => {
    const login = `mallory${run}`;
    // The API allows 10 failed attempts per login in its window (LOGIN_LIMIT_PER_LOGIN).
    for (let i = 0; i < 10; i++) expect((await rest.login(login, "guess-password")).status).toBe(401);
    await signIn(login, "guess-password");
    await page.getByRole("alert").getByText("Too many attempts. Wait a moment and try again.").waitFor();
    await page.getByLabel("Login").fill("");
    await page.getByLabel("Password").fill("");
  });

  test("an admin signs in, and a reload keeps the session", async () => {
    await signIn(ADMIN.login, ADMIN.password);
    // The dashboard is the landing page.
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/admin/dashboard");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Products" }).click();
    await page.getByRole("heading", { name: "Products", level: 1 }).waitFor();
    await page.getByText("No products yet").waitFor();

    await page.reload();
    await page.getByRole("heading", { name: "Products", level: 1 }).waitFor();
    await expect.poll(() => page.locator(".account-name").innerText()).toContain("admin");
  });

  test("creates a product, with inline validation errors first", async () => {
    await page.getByRole("link", { name: "New product" }).first().click();
    await page.getByRole("heading", { name: "New product" }).waitFor();

    await page.getByLabel("Price").fill("12.345");
    await page.getByRole("button", { name: "Create product" }).click();
    await page.getByText("Title is required").waitFor();
    await page.getByText("Price must have at most two decimals").waitFor();
    expect(await page.getByLabel("Title").getAttribute("aria-invalid")).toBe("true");
    // Focus goes to the first invalid field.
    expect(await page.getByLabel("Title").evaluate((el) => el === document.activeElement)).toBe(true);

    await page.getByLabel("Title").fill(`Espresso ${run}`);
    await page.getByLabel("Description").fill("A short, strong coffee.");
    await page.getByLabel("Price").fill("1234.5");
    await page.getByText("Shown as 1,234.50").waitFor();
    await page.getByRole("button", { name: "Create product" }).click();

    await toast(`Created “Espresso ${run}”`).waitFor();
    await page.getByRole("heading", { name: "Products", level: 1 }).waitFor();
    await row(`Espresso ${run}`).getByText("1,234.50").waitFor();
  });

  test("edits a product", async () => {
    await row(`Espresso ${run}`).getByRole("link", { name: /Edit/ }).click();
    await page.getByRole("heading", { name: "Edit product" }).waitFor();
    expect(await page.getByLabel("Title").inputValue()).toBe(`Espresso ${run}`);
    expect(await page.getByLabel("Price").inputValue()).toBe("1234.50");

    await page.getByLabel("Title").fill(" ");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Title is required").waitFor();
    expect(await page.getByLabel("Title").evaluate((el) => el === document.activeElement)).toBe(true);

    await page.getByLabel("Title").fill(`Double espresso ${run}`);
    await page.getByLabel("Price").fill("3.5");
    await page.getByRole("button", { name: "Save changes" }).click();

    await toast(`Saved “Double espresso ${run}”`).waitFor();
    await row(`Double espresso ${run}`).getByText("3.50").waitFor();
  });

  test("search, sort and page live in the URL and survive a reload", async () => {
    const token = await rest.token(ADMIN.login, ADMIN.password);
    for (const [title, price] of [
      [`Tea ${run}`, "2.00"],
      [`Green tea ${run}`, "4.25"],
      [`Cake ${run}`, "5.10"],
    ] as const) {
      await rest.createProduct(token, { title, price });
    }
    await page.reload();
    await row(`Cake ${run}`).waitFor();

    await page.getByRole("searchbox", { name: "Search products" }).fill("tea");
    await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe("tea");
    await eventually(async () => expect(await page.locator("tbody tr").count()).toBe(2));

    await page.getByRole("button", { name: "Price" }).click();
    await expect.poll(() => new URL(page.url()).search).toContain("sort=price");
    await eventually(async () =>
      expect(await page.locator("tbody tr .title").allInnerTexts()).toEqual([`Tea ${run}`, `Green tea ${run}`]),
    );
    await page.getByRole("button", { name: "Price" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("order")).toBe("desc");

    await page.reload();
    expect(await page.getByRole("searchbox", { name: "Search products" }).inputValue()).toBe("tea");
    await eventually(async () =>
      expect(await page.locator("tbody tr .title").allInnerTexts()).toEqual([`Green tea ${run}`, `Tea ${run}`]),
    );
    expect(await page.getByRole("columnheader", { name: "Price" }).getAttribute("aria-sort")).toBe("descending");

    await page.getByRole("searchbox", { name: "Search products" }).fill("no such product");
    await page.getByText("No products match “no such product”").waitFor();
    await page.getByRole("button", { name: "Clear search" }).click();
    await row(`Cake ${run}`).waitFor();

    // Server-side pagination: 10 per page.
    await page.getByLabel("Per page").selectOption("10");
    for (let i = 0; i < 8; i++) await rest.createProduct(token, { title: `Filler ${run}-${i}`, price: "1" });
    await page.reload();
    await page.getByText("Showing 1–10 of 12 products").waitFor();
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByText("Showing 11–12 of 12 products").waitFor();
    expect(new URL(page.url()).searchParams.get("page")).toBe("2");
    await page.goBack();
    await page.getByText("Showing 1–10 of 12 products").waitFor();
    await go("/products");
  });

  test("a list that fails to load says so and offers to try again", async () => {
    await page.route("**/trpc/products.list**", (route) => route.abort());
    await page.reload();
    const failure = page.getByRole("alert").filter({ hasText: "Could not load products" });
    await failure.waitFor();
    await page.unroute("**/trpc/products.list**");
    await failure.getByRole("button", { name: "Try again" }).click();
    await row(`Cake ${run}`).waitFor();
  });

  test("deletes a product after a confirmation in a dialog", async () => {
    await page.getByRole("searchbox", { name: "Search products" }).fill(`Double espresso ${run}`);
    await eventually(async () => expect(await page.locator("tbody tr").count()).toBe(1));

    const remove = row(`Double espresso ${run}`).getByRole("button", { name: /Delete/ });
    await remove.click();
    const dialog = page.getByRole("dialog", { name: `Delete “Double espresso ${run}”?` });
    await dialog.waitFor();
    // Focus is in the dialog, on the safe choice; Escape cancels.
    expect(await dialog.getByRole("button", { name: "Cancel" }).evaluate((el) => el === document.activeElement)).toBe(
      true,
    );
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await eventually(async () => expect(await remove.evaluate((el) => el === document.activeElement)).toBe(true));

    // The server cannot be reached: the row, removed at once, comes back, and a toast says why.
    await page.route("**/trpc/products.delete**", (route) => route.abort());
    await remove.click();
    await dialog.getByRole("button", { name: "Delete product" }).click();
    await toast(/Could not delete the product: Cannot reach the server/).waitFor();
    await row(`Double espresso ${run}`).waitFor();
    await page.unroute("**/trpc/products.delete**");

    await remove.click();
    await dialog.getByRole("button", { name: "Delete product" }).click();
    await toast(`Deleted “Double espresso ${run}”`).waitFor();
    await page.getByText(`No products match “Double espresso ${run}”`).waitFor();

    // Shown again (marked deleted) with "Show deleted".
    await page.getByLabel("Show deleted").check();
    await row(`Double espresso ${run}`).getByText("Deleted").waitFor();
    await page.getByLabel("Show deleted").uncheck();
  });

  test("disables a user (whose sign-in is then refused) and enables them again", async () => {
    const user = await rest.createUser(`carol${run}`);
    expect((await rest.login(user.login, user.password)).status).toBe(200);

    await page.getByRole("link", { name: "Users" }).click();
    await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
    await page.getByRole("searchbox", { name: "Search users by login" }).fill(user.login);
    await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe(user.login);
    await eventually(async () => expect(await page.locator("tbody tr").count()).toBe(1));

    await row(user.login)
      .getByRole("button", { name: `Disable ${user.login}` })
      .click();
    const dialog = page.getByRole("dialog", { name: `Disable ${user.login}?` });
    await dialog.getByRole("button", { name: "Disable user" }).click();
    await toast(`${user.login} is disabled`).waitFor();
    await row(user.login).getByText("Disabled").waitFor();
    expect(await row(user.login).getAttribute("class")).toContain("row-disabled");

    const refused = await rest.login(user.login, user.password);
    expect(refused.status).toBe(403);
    expect(refused.json.appCode).toBe("ACCOUNT_DISABLED");
    expect(refused.json.message).toMatch(/disabled/i);

    await row(user.login)
      .getByRole("button", { name: `Enable ${user.login}` })
      .click();
    await page
      .getByRole("dialog", { name: `Enable ${user.login}?` })
      .getByRole("button", { name: "Enable user" })
      .click();
    await toast(`${user.login} is enabled`).waitFor();
    await eventually(async () => expect(await row(user.login).getByText("Disabled").count()).toBe(0));
    expect((await rest.login(user.login, user.password)).status).toBe(200);
  });

  test("an admin cannot disable themselves", async () => {
    await page.getByRole("searchbox", { name: "Search users by login" }).fill(ADMIN.login);
    await eventually(async () => expect(await page.locator("tbody tr").count()).toBeGreaterThan(0));
    const adminRow = page.locator(`tr[data-login="${ADMIN.login}"]`);
    await adminRow.getByText("That’s you").waitFor();
    expect(await adminRow.getByRole("button", { name: /Disable/ }).count()).toBe(0);
  });

  test("a user's balance and history follow a webhook credit", async () => {
    const user = await rest.createUser(`dave${run}`);
    dave = user;
    const bill = randomInt(1, 2 ** 40);
    await rest.credit(user.numericId, bill, "100");

    await page.getByRole("searchbox", { name: "Search users by login" }).fill(user.login);
    await row(user.login).locator('[data-label="Total balance"]').getByText("100.00").waitFor();
    await row(user.login).getByRole("link", { name: user.login, exact: true }).click();
    await page.getByRole("heading", { name: user.login, level: 1 }).waitFor();
    const account = page.locator(`[data-account="${bill}"]`);
    await account.getByText("100.00").waitFor();
    await page.getByRole("row").filter({ hasText: "Credit" }).first().waitFor();

    await rest.credit(user.numericId, bill, "50.5");
    await page.getByRole("button", { name: "Refresh" }).click();
    await account.getByText("150.50").waitFor();
    await eventually(async () => expect(await page.getByRole("row").filter({ hasText: "Credit" }).count()).toBe(2));
    await page.getByRole("row").filter({ hasText: "+50.50" }).getByText("150.50").waitFor();

    // A purchase appears in the history, with the product's title.
    const token = await rest.token(user.login, user.password);
    const admin = await rest.token(ADMIN.login, ADMIN.password);
    const product = await rest.createProduct(admin, { title: `Muffin ${run}`, price: "20.25" });
    const me = (await rest.me(token)) as { accounts: { id: string }[] };
    await rest.buy(token, product.id as string, me.accounts[0]!.id);
    await page.getByRole("button", { name: "Refresh" }).click();
    await account.getByText("130.25").waitFor();
    await page
      .getByRole("row")
      .filter({ hasText: `Muffin ${run}` })
      .getByText("Purchase")
      .waitFor();

    await page.getByRole("link", { name: "All users" }).click();
    await row(user.login).locator('[data-label="Total balance"]').getByText("130.25").waitFor();
  });

  test("every list keeps its filters in the URL, and a page past the end shows the last page", async () => {
    // Users: a filter that matches nobody, then "Show all users" clears search and filter.
    await go(`/users?q=${dave!.login}&status=disabled`);
    await page.getByText(`No users match “${dave!.login}”`).waitFor();
    expect(await page.getByLabel("Show").inputValue()).toBe("disabled");
    await page.getByRole("button", { name: "Show all users" }).click();
    await expect.poll(() => new URL(page.url()).search).toBe("");
    expect(await page.getByLabel("Show").inputValue()).toBe("");
    await page.getByLabel("Show").selectOption("active");
    await expect.poll(() => new URL(page.url()).searchParams.get("status")).toBe("active");
    await eventually(async () => expect(await page.locator("tr.row-disabled").count()).toBe(0));

    // Products, 10 a page, asked for page 99: the last page, in the URL too.
    const admin = await rest.token(ADMIN.login, ADMIN.password);
    const listed = (await rest.get(admin, "/products?limit=1")) as { total: number };
    const last = Math.ceil(listed.total / 10);
    await go("/products?size=10&page=99");
    await page.getByText(`of ${listed.total} products`).waitFor();
    await expect.poll(() => new URL(page.url()).searchParams.get("page")).toBe(last === 1 ? null : String(last));
    await page.getByText(`Page ${last} of ${last}`).waitFor();

    // A user's history, asked for page 5 of 1: the first page, with its rows.
    await go(`/users/${dave!.id}?page=5`);
    await page.getByRole("heading", { name: dave!.login, level: 1 }).waitFor();
    await page.getByRole("row").filter({ hasText: "Credit" }).first().waitFor();
    await expect.poll(() => new URL(page.url()).searchParams.get("page")).toBeNull();
  });

  test("a product or a user that does not exist says so, with no retry offered", async () => {
    const missing = randomUUID();
    await go(`/products/${missing}/edit`);
    const product = page.getByRole("alert").filter({ hasText: "This product does not exist" });
    await product.waitFor();
    expect(await product.getByRole("button", { name: "Try again" }).count()).toBe(0);

    await go(`/users/${missing}`);
    const user = page.getByRole("alert").filter({ hasText: "This user does not exist" });
    await user.waitFor();
    expect(await user.getByRole("button", { name: "Try again" }).count()).toBe(0);
    await page.getByRole("link", { name: "All users" }).click();
    await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
  });

  test("works on a narrow screen (390 px)", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await go("/products");
    await page.getByRole("heading", { name: "Products", level: 1 }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByRole("link", { name: "Users" }).click();
    await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    for (const [link, heading] of [
      ["Dashboard", "Dashboard"],
      ["Transactions", "Transactions"],
    ]) {
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link }).click();
      await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
      await page.waitForLoadState("networkidle");
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        0,
      );
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test("signing out, then a non-admin is refused at sign-in", async () => {
    const user = await rest.createUser(`erin${run}`);
    const held = await page.evaluate(
      () => (JSON.parse(localStorage.getItem("shop-admin.session") ?? "{}") as { token?: string }).token,
    );
    expect((await send(base, "GET", "/users/me", { token: held! })).status).toBe(200);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(new URL(page.url()).search).toBe("");
    expect(await page.evaluate(() => localStorage.getItem("shop-admin.session"))).toBeNull();
    // The API was told (POST /auth/sign-out): the token the browser held no longer works anywhere.
    await expect.poll(async () => (await send(base, "GET", "/users/me", { token: held! })).status).toBe(401);

    await signIn(user.login, user.password);
    await page
      .getByRole("alert")
      .getByText(/not an administrator/)
      .waitFor();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem("shop-admin.session"))).toBeNull();

    // A disabled account gets the server's reason.
    const admin = await rest.token(ADMIN.login, ADMIN.password);
    await rest.setActive(admin, user.id, false);
    await signIn(user.login, user.password);
    await page
      .getByRole("alert")
      .getByText(/disabled/i)
      .waitFor();
  });

  test("an expired token returns to sign-in with a message saying so", async () => {
    await page.getByLabel("Login").fill("");
    await signIn(ADMIN.login, ADMIN.password);
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    const session = JSON.parse((await page.evaluate(() => localStorage.getItem("shop-admin.session")))!) as {
      userId: string;
    };

    // The server says "Token expired" (the browser still thinks the session is valid).
    const token = expiredToken(session.userId, inject("jwtSecret"));
    await page.evaluate(
      (value) => localStorage.setItem("shop-admin.session", value),
      JSON.stringify({ ...session, token, expiresAt: Date.now() + 3_600_000 }),
    );
    await go("/users");
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByText("Your session has expired. Please sign in again.").waitFor();
    expect(new URL(page.url()).searchParams.get("next")).toBe("/users");

    // Signing in again goes back to the page asked for.
    await signIn(ADMIN.login, ADMIN.password);
    await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();

    // The browser's own clock: a session past its expiry is not even tried.
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem("shop-admin.session")!) as object;
      localStorage.setItem("shop-admin.session", JSON.stringify({ ...s, expiresAt: Date.now() - 1000 }));
    });
    await page.reload();
    await page.getByText("Your session has expired. Please sign in again.").waitFor();
  });

  test("no uncaught errors in the page", () => {
    expect(errors).toEqual([]);
  });
});
