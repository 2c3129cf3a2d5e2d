// Money moves that must happen once in Chromium: a double click on Refund or Credit, and a retry after
// an answer that never arrived, each make one ledger row — the dialog's Idempotency-Key, sent with
// every try, lets the API apply the move once.
import { randomInt } from "node:crypto";
import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { chromiumPath, SKIP_REASON } from "./env.ts";
import { ADMIN, api, type Browser, launchBrowser } from "./harness.ts";

const hasChromium = chromiumPath() !== undefined;
if (!hasChromium) console.warn(`[e2e] money-moves.e2e.test.ts SKIPPED: ${SKIP_REASON}`);

describe.skipIf(!hasChromium)("money moves happen once, in Chromium", () => {
  const base = inject("apiUrl");
  const rest = api(base);
  const run = randomInt(1e6);
  let admin: string;
  let customer: { id: string; login: string };
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  const go = (path: string) => page.goto(`${base}/admin${path}`);
  const toast = (text: string | RegExp) => page.locator(".toasts").getByText(text).first();
  /** The customer's ledger rows of one kind, from the API. */
  const ledger = async (kind: string) => {
    const response = await fetch(`${base}/transactions?userId=${customer.id}&kind=${kind}&limit=100`, {
      headers: { Authorization: `Bearer ${admin}` },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: { amount: string; reason: string | null }[] }).items;
  };
  /** The Idempotency-Key of every request of a procedure, as sent. */
  const keysOf = (procedure: string) => {
    const keys: (string | undefined)[] = [];
    const listener = (request: Request) => {
      if (request.url().includes(`/trpc/${procedure}`)) keys.push(request.headers()["idempotency-key"]);
    };
    page.on("request", listener);
    return { keys, stop: () => page.off("request", listener) };
  };
  /** The next call of `procedure` reaches the server, but its answer is lost on the way back. */
  const loseNextAnswer = (procedure: string) =>
    page.route(
      `**/trpc/${procedure}**`,
      async (route) => {
        await route.fetch();
        await route.abort("connectionreset");
      },
      { times: 1 },
    );

  beforeAll(async () => {
    admin = await rest.token(ADMIN.login, ADMIN.password);
    const product = await rest.createProduct(admin, { title: `Kettle ${run}`, price: "10.00" });
    const user = await rest.createUser(`once-${run}`);
    customer = user;
    await rest.credit(user.numericId, randomInt(4e9, 5e9), "100.00");
    const token = await rest.token(user.login, user.password);
    const me = (await rest.me(token)) as { accounts: { id: string }[] };
    await rest.buy(token, product.id as string, me.accounts[0]!.id);

    browser = await launchBrowser();
    page = browser.page;
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      // The answers lost on purpose below fail in the browser; the refused debit answers 402.
      if (
        message.type() === "error" &&
        !/net::ERR_CONNECTION_RESET|net::ERR_FAILED|status of 402/.test(message.text())
      ) {
        errors.push(`console: ${message.text()} (${message.location().url})`);
      }
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

  test("a double click on Refund refunds once", async () => {
    await go(`/transactions?user=${customer.id}&kind=purchase`);
    const purchase = page.locator('.table-ledger tbody tr[data-kind="purchase"]');
    await purchase.getByRole("button", { name: /Refund/ }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Amount").fill("3");
    await dialog.getByLabel("Reason").fill("Double click");
    const sent = keysOf("transactions.refund");
    await dialog.getByRole("button", { name: "Refund", exact: true }).dblclick();
    await toast(`Refunded 3.00 to ${customer.login}`).waitFor();
    sent.stop();

    expect((await ledger("refund")).map((r) => r.amount)).toEqual(["3.00"]);
    expect(sent.keys.length).toBeGreaterThanOrEqual(1);
    expect(new Set(sent.keys).size).toBe(1);
    expect(sent.keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    await purchase.getByText("3.00 refunded").waitFor();
  });

  test("a refund whose answer was lost, tried again, refunds once", async () => {
    const purchase = page.locator('.table-ledger tbody tr[data-kind="purchase"]');
    await purchase.getByRole("button", { name: /Refund/ }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Amount").fill("2");
    await dialog.getByLabel("Reason").fill("Lost answer");
    const sent = keysOf("transactions.refund");
    await loseNextAnswer("transactions.refund");
    await dialog.getByRole("button", { name: "Refund", exact: true }).click();
    await toast(/Could not refund: Cannot reach the server/).waitFor();
    // The server did refund: the ledger has it, the dialog does not know.
    expect((await ledger("refund")).map((r) => r.amount)).toEqual(["2.00", "3.00"]);

    await dialog.getByRole("button", { name: "Refund", exact: true }).click();
    await toast(`Refunded 2.00 to ${customer.login}`).waitFor();
    sent.stop();
    expect((await ledger("refund")).map((r) => r.amount)).toEqual(["2.00", "3.00"]);
    expect(sent.keys).toHaveLength(2);
    expect(sent.keys[0]).toBe(sent.keys[1]);
    await purchase.getByText("5.00 refunded").waitFor();
  });

  test("an adjustment, double-clicked or retried after a lost answer, moves the balance once each", async () => {
    await go(`/users/${customer.id}`);
    await page.getByRole("heading", { name: customer.login, level: 1 }).waitFor();
    const balance = page.locator(".account-card .account-balance").first();
    await expect.poll(() => balance.innerText()).toBe("95.00");
    const dialog = page.getByRole("dialog");
    const sent = keysOf("accounts.adjust");

    await page.getByRole("button", { name: /Adjust balance/ }).click();
    await dialog.getByLabel("Amount").fill("7.25");
    await dialog.getByLabel("Reason").fill("Double click credit");
    await dialog.getByRole("button", { name: "Credit", exact: true }).dblclick();
    await toast(/now holds 102\.25/).waitFor();
    expect((await ledger("adjustment")).map((r) => r.reason)).toEqual(["Double click credit"]);
    const first = new Set(sent.keys);
    expect(first.size).toBe(1);

    // A new opening of the dialog is a new move: a new key.
    await page.getByRole("button", { name: /Adjust balance/ }).click();
    await dialog.getByLabel("Amount").fill("1.50");
    await dialog.getByLabel("Reason").fill("Lost answer credit");
    await loseNextAnswer("accounts.adjust");
    await dialog.getByRole("button", { name: "Credit", exact: true }).click();
    await toast(/Could not adjust the balance: Cannot reach the server/).waitFor();
    await dialog.getByRole("button", { name: "Credit", exact: true }).click();
    await toast(/now holds 103\.75/).waitFor();
    sent.stop();

    expect((await ledger("adjustment")).map((r) => r.reason)).toEqual(["Lost answer credit", "Double click credit"]);
    const retried = sent.keys.slice(-2);
    expect(retried[0]).toBe(retried[1]);
    expect(first.has(retried[0])).toBe(false);
    await expect.poll(() => balance.innerText()).toBe("103.75");
  });

  test("a refused move gets a new key, so the corrected one goes through", async () => {
    const dialog = page.getByRole("dialog");
    const sent = keysOf("accounts.adjust");
    await page.getByRole("button", { name: /Adjust balance/ }).click();
    await dialog.getByLabel("Debit (take money)").check();
    await dialog.getByLabel("Amount").fill("1000");
    await dialog.getByLabel("Reason").fill("Too much");
    await dialog.getByRole("button", { name: "Debit", exact: true }).click();
    await toast(/The account does not hold that much/).waitFor();
    await dialog.getByLabel("Amount").fill("0.75");
    await dialog.getByRole("button", { name: "Debit", exact: true }).click();
    await toast(/now holds 103\.00/).waitFor();
    sent.stop();
    expect(sent.keys).toHaveLength(2);
    expect(sent.keys[0]).not.toBe(sent.keys[1]);
  });

  test("no uncaught errors in the page", () => {
    expect(errors).toEqual([]);
  });
});
