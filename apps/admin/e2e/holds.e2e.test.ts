// Two-phase purchases in Chromium: a customer authorizes through the API (capture: false); on the user's
// page the operator captures part of one hold (a double click captures once: the dialog's Idempotency-Key)
// and voids another; the ledger and the account's held / available follow.
import { randomInt } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { chromiumPath, SKIP_REASON } from "./env.ts";
import { ADMIN, api, type Browser, launchBrowser } from "./harness.ts";

const hasChromium = chromiumPath() !== undefined;
if (!hasChromium) console.warn(`[e2e] holds.e2e.test.ts SKIPPED: ${SKIP_REASON}`);

describe.skipIf(!hasChromium)("authorizations: capture and void on a user's page, in Chromium", () => {
  const base = inject("apiUrl");
  const rest = api(base);
  const run = randomInt(1e6);
  const bill = randomInt(4e9, 5e9);
  let admin: string;
  let customer: { id: string; login: string };
  let accountId: string;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  const toast = (text: string | RegExp) => page.locator(".toasts").getByText(text).first();
  const account = async () => {
    const response = await fetch(`${base}/users/${customer.id}`, { headers: { Authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(200);
    const user = (await response.json()) as {
      accounts: { id: string; balance: string; held: string; available: string }[];
    };
    return user.accounts.find((a) => a.id === accountId)!;
  };
  const purchases = async () => {
    const response = await fetch(`${base}/transactions?userId=${customer.id}&kind=purchase&limit=100`, {
      headers: { Authorization: `Bearer ${admin}` },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: { id: string; amount: string }[] }).items;
  };

  beforeAll(async () => {
    admin = await rest.token(ADMIN.login, ADMIN.password);
    const kettle = await rest.createProduct(admin, { title: `Kettle ${run}`, price: "40.00" });
    const lamp = await rest.createProduct(admin, { title: `Lamp ${run}`, price: "25.00" });
    const user = await rest.createUser(`holds-${run}`);
    customer = user;
    await rest.credit(user.numericId, bill, "100.00");
    const token = await rest.token(user.login, user.password);
    accountId = ((await rest.me(token)) as { accounts: { id: string }[] }).accounts[0]!.id;
    for (const product of [kettle, lamp]) {
      const response = await fetch(`${base}/products/buy`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ productId: product.id, accountId, capture: false, holdSeconds: 3600 }),
      });
      expect(response.status).toBe(201);
    }
    expect(await account()).toMatchObject({ balance: "100.00", held: "65.00", available: "35.00" });

    browser = await launchBrowser();
    page = browser.page;
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console: ${message.text()} (${message.location().url})`);
    });
    await page.goto(`${base}/admin/`);
    await page.getByLabel("Login").fill(ADMIN.login);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
  });

  afterAll(async () => {
    await browser?.stop();
  });

  test("captures part of a hold once, even on a double click; the ledger and held / available follow", async () => {
    await page.goto(`${base}/admin/users/${customer.id}`);
    await page.getByRole("heading", { name: customer.login, level: 1 }).waitFor();
    const card = page.locator(`[data-account="${bill}"]`);
    await card.getByText("65.00 held · 35.00 available").waitFor();
    const holds = page.getByTestId(`authorizations-${bill}`);
    const kettle = holds.getByRole("row").filter({ hasText: `Kettle ${run}` });
    await kettle.getByRole("button", { name: /Capture/ }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Amount").fill("30");
    await dialog.getByRole("button", { name: "Capture", exact: true }).dblclick();
    await toast(`Captured 30.00 of Kettle ${run}`).waitFor();

    expect((await purchases()).map((p) => p.amount)).toEqual(["30.00"]);
    expect(await account()).toMatchObject({ balance: "70.00", held: "25.00", available: "45.00" });
    await card.getByText("25.00 held · 45.00 available").waitFor();
    await kettle.waitFor({ state: "detached" });
  });

  test("voids another hold after a confirmation: held back to 0", async () => {
    const holds = page.getByTestId(`authorizations-${bill}`);
    await holds
      .getByRole("row")
      .filter({ hasText: `Lamp ${run}` })
      .getByRole("button", { name: /Void/ })
      .click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(/nothing is debited/).waitFor();
    await dialog.getByRole("button", { name: "Void", exact: true }).click();
    await toast(`Released 25.00 held for Lamp ${run}`).waitFor();

    expect(await account()).toMatchObject({ balance: "70.00", held: "0.00", available: "70.00" });
    expect((await purchases()).map((p) => p.amount)).toEqual(["30.00"]);
    await page.locator(`[data-account="${bill}"]`).getByTestId("account-held").waitFor({ state: "detached" });
    await holds.waitFor({ state: "detached" });
    expect(errors).toEqual([]);
  });
});
