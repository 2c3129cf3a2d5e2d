// Issue 21's pages in Chromium: an API key is created (shown once), works against the API, is revoked
// through its dialog and is then refused; a user's account opens its statement, whose balances are the
// API's, with its CSV.
import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import { send } from "@shop/api/test-support/http";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { chromiumPath, SKIP_REASON } from "./env.ts";
import { ADMIN, api, type Browser, launchBrowser } from "./harness.ts";

const hasChromium = chromiumPath() !== undefined;
if (!hasChromium) console.warn(`[e2e] keys.e2e.test.ts SKIPPED: ${SKIP_REASON}`);

describe.skipIf(!hasChromium)("API keys and statements in Chromium", () => {
  const base = inject("apiUrl");
  const rest = api(base);
  const run = randomInt(1e6);
  let browser: Browser;
  let page: Page;
  let admin: string;
  let customer: { id: string; login: string; numericId: number; password: string };
  let accountId: string;
  const errors: string[] = [];
  const go = (path: string) => page.goto(`${base}/admin${path}`);

  beforeAll(async () => {
    admin = await rest.token(ADMIN.login, ADMIN.password);
    customer = await rest.createUser(`keys-${run}`);
    await rest.credit(customer.numericId, 600_000 + (run % 100_000), "30.00", 700_000_000 + run);
    const product = await rest.createProduct(admin, { title: `Kettle ${run}`, price: "12.50" });
    const token = await rest.token(customer.login, customer.password);
    const me = (await rest.me(token)) as { accounts: { id: string }[] };
    accountId = me.accounts[0]!.id;
    await rest.buy(token, product.id as string, accountId);

    browser = await launchBrowser();
    page = browser.page;
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console: ${message.text()}`);
    });
    await go("/");
    await page.getByLabel("Login").fill(ADMIN.login);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
  });

  afterAll(async () => {
    await browser?.stop();
  });

  test("create a key (shown once), use it, revoke it: refused at once", async () => {
    await page.getByRole("link", { name: "API keys" }).click();
    await page.getByRole("heading", { name: "API keys", level: 1 }).waitFor();
    await page.getByRole("button", { name: "New API key" }).click();
    const dialog = page.getByRole("dialog", { name: "New API key" });
    await dialog.getByLabel("Name").fill(`backend ${run}`);
    await dialog.getByRole("checkbox", { name: /^Money/ }).check();
    await dialog.getByRole("button", { name: "Create key" }).click();
    const shown = page.getByTestId("new-api-key");
    await shown.waitFor();
    const key = (await shown.innerText()).trim();
    expect(key).toMatch(/^shop_sk_[A-Za-z0-9_-]{43}$/);
    const row = page.getByRole("row").filter({ hasText: `backend ${run}` });
    await expect.poll(() => row.innerText()).toContain("read, money");
    expect(await row.innerText()).toContain(key.slice(0, 12));
    expect(await row.innerText()).not.toContain(key);

    // The key works against the API like a token; a write outside its scopes is refused.
    expect((await send(base, "GET", "/transactions", { token: key })).status).toBe(200);
    const outside = await send(base, "POST", "/products", { token: key, json: { title: "x", price: "1" } });
    expect(outside.body.appCode).toBe("INSUFFICIENT_SCOPE");

    // Done hides it: it cannot be shown again.
    await page.getByRole("button", { name: "Done" }).click();
    expect(await page.getByTestId("new-api-key").count()).toBe(0);

    await row.getByRole("button", { name: /Revoke/ }).click();
    const confirm = page.getByRole("dialog", { name: `Revoke "backend ${run}"?` });
    await confirm.getByRole("button", { name: "Revoke" }).click();
    await expect.poll(() => row.innerText()).toContain("Revoked");
    const refused = await send(base, "GET", "/transactions", { token: key });
    expect(refused.status).toBe(401);
    expect(refused.body.appCode).toBe("TOKEN_REVOKED");
  });

  test("a user's account opens its statement: the API's balances, and its CSV", async () => {
    await go(`/users/${customer.id}`);
    await page.getByRole("link", { name: /^Statement/ }).click();
    await page.getByRole("heading", { name: "Statement", level: 1 }).waitFor();
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
    const after = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const statement = (await rest.get(
      admin,
      `/accounts/${accountId}/statement?from=${from}T00:00:00.000Z&to=${after}T00:00:00.000Z`,
    )) as { openingBalance: string; closingBalance: string };
    expect(statement.closingBalance).toBe("17.50");
    await expect.poll(() => page.getByTestId("closing-balance").innerText()).toContain("17.50");
    expect(await page.getByTestId("opening-balance").innerText()).toContain(statement.openingBalance);
    expect(await page.getByRole("row").count()).toBe(3); // header, the credit, the purchase
    expect(new URL(page.url()).pathname).toBe(`/admin/accounts/${accountId}/statement`);
    expect(today <= after).toBe(true);

    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`statement-${accountId}-${from}-${today}.csv`);
    const csv = readFileSync((await file.path())!, "utf8")
      .trimEnd()
      .split("\r\n");
    expect(csv[0]).toMatch(/^createdAt,id,kind,/);
    expect(csv[1]).toContain(",opening balance,");
    expect(csv.at(-1)).toContain(",closing balance,,,,17.50,");
    expect(csv).toHaveLength(5);
    expect(errors).toEqual([]);
  });
});
