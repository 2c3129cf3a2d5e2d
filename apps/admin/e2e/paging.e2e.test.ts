// Paging through lists in Chromium: First, Previous, Next, Last and the page size on Users and
// Transactions — by the page's cursors when the API gives them, by offset before; Last by the API's
// cursor=last — a reload and Back showing the same view, and "about N" when the API's total is an estimate.
import { randomInt } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { chromiumPath, SKIP_REASON } from "./env.ts";
import { ADMIN, api, type Browser, launchBrowser } from "./harness.ts";

const hasChromium = chromiumPath() !== undefined;
if (!hasChromium) console.warn(`[e2e] paging.e2e.test.ts SKIPPED: ${SKIP_REASON}`);

describe.skipIf(!hasChromium)("paging through lists in Chromium", () => {
  const base = inject("apiUrl");
  const rest = api(base);
  const run = randomInt(1e6);
  const stem = `pg${run}`;
  /** The users of this file, by login (their order sorted by login). */
  const logins = Array.from({ length: 23 }, (_, i) => `${stem}-${String(i).padStart(2, "0")}`);
  /** The 23 credits of one user, oldest first: 1.01 … 1.23. */
  const amounts = Array.from({ length: 23 }, (_, i) => `1.${String(i + 1).padStart(2, "0")}`);
  let owner: { id: string };
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  const go = (path: string) => page.goto(`${base}/admin${path}`);
  const shownLogins = () =>
    page.locator(".table-users tbody tr").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.login));
  const shownAmounts = () =>
    page
      .locator(".table-ledger tbody td[data-label='Amount']")
      .evaluateAll((cells) => cells.map((c) => c.textContent!.replace(/^\+/, "")));
  const summary = () => page.locator(".pagination-summary").innerText();
  const button = (name: string) => page.getByRole("navigation", { name: /pages$/ }).getByRole("button", { name });
  /** Where the page starts in the URL: a cursor (keyset paging) or a page number (offsets). */
  const position = () => {
    const search = new URL(page.url()).searchParams;
    return { cursor: search.get("cursor"), page: search.get("page") };
  };
  /** Which of First, Previous, Next and Last can be pressed. */
  const enabled = async () => {
    const names = ["First", "Previous", "Next", "Last"] as const;
    const states = await Promise.all(names.map((name) => button(name).isEnabled()));
    return names.filter((_, i) => states[i]);
  };

  beforeAll(async () => {
    for (const login of logins) await rest.createUser(login);
    const first = await rest.createUser(`own${run}`);
    owner = first;
    const bill = randomInt(3e9, 4e9);
    for (const amount of amounts) await rest.credit(first.numericId, bill, amount);

    browser = await launchBrowser();
    page = browser.page;
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console: ${message.text()} (${message.location().url})`);
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

  test("users: Next, Previous and the page size; a reload and Back keep the view", async () => {
    await go(`/users?q=${stem}-&sort=login&order=asc`);
    await expect.poll(shownLogins).toEqual(logins.slice(0, 20));
    expect(await summary()).toBe("Showing 1–20 of 23 users");
    expect(await button("Previous").isDisabled()).toBe(true);

    await page.getByLabel("Per page").selectOption("10");
    await expect.poll(shownLogins).toEqual(logins.slice(0, 10));
    expect(new URL(page.url()).searchParams.get("size")).toBe("10");
    expect(await summary()).toBe("Showing 1–10 of 23 users");

    await button("Next").click();
    await expect.poll(shownLogins).toEqual(logins.slice(10, 20));
    expect(await summary()).toBe("Showing 11–20 of 23 users");
    const second = position();
    // By the page's nextCursor when the API gives one, else by offset.
    expect(second.cursor !== null || second.page === "2").toBe(true);

    // A reload shows the same page.
    await page.reload();
    await expect.poll(shownLogins).toEqual(logins.slice(10, 20));
    expect(await page.getByLabel("Per page").inputValue()).toBe("10");
    expect(await page.getByRole("searchbox", { name: "Search users by login" }).inputValue()).toBe(`${stem}-`);
    expect(await page.getByRole("columnheader", { name: "User" }).getAttribute("aria-sort")).toBe("ascending");

    await button("Next").click();
    await expect.poll(shownLogins).toEqual(logins.slice(20, 23));
    expect(await summary()).toBe("Showing 21–23 of 23 users");
    expect(await button("Next").isDisabled()).toBe(true);

    // Back: the page before, as it was.
    await page.goBack();
    await expect.poll(shownLogins).toEqual(logins.slice(10, 20));
    expect(position()).toEqual(second);

    await button("Previous").click();
    await expect.poll(shownLogins).toEqual(logins.slice(0, 10));
    // The first page is read afresh: no cursor, no page in the URL.
    expect(position()).toEqual({ cursor: null, page: null });
    expect(await button("Previous").isDisabled()).toBe(true);

    // Sorting again starts at the first page.
    await button("Next").click();
    await expect.poll(shownLogins).toEqual(logins.slice(10, 20));
    await page.getByRole("columnheader", { name: "User" }).getByRole("button").click();
    await expect.poll(shownLogins).toEqual([...logins].reverse().slice(0, 10));
    expect(position()).toEqual({ cursor: null, page: null });
  });

  test("users: Last, Previous from it, First; a reload and Back on the last page keep the view", async () => {
    await go(`/users?q=${stem}-&sort=login&order=asc&size=10`);
    await expect.poll(shownLogins).toEqual(logins.slice(0, 10));
    expect(await enabled()).toEqual(["Next", "Last"]);

    // Last: the last 10 rows (not the offset page 21–23), by the API's cursor=last.
    await button("Last").click();
    await expect.poll(shownLogins).toEqual(logins.slice(13, 23));
    expect(position()).toEqual({ cursor: "last", page: null });
    expect(await summary()).toBe("Showing 14–23 of 23 users");
    await page.getByText("Page 3 of 3").waitFor();
    expect(await enabled()).toEqual(["First", "Previous"]);

    // A reload on the last page shows it again, with the view's search, sort and size.
    await page.reload();
    await expect.poll(shownLogins).toEqual(logins.slice(13, 23));
    expect(await summary()).toBe("Showing 14–23 of 23 users");
    expect(await enabled()).toEqual(["First", "Previous"]);
    expect(await page.getByLabel("Per page").inputValue()).toBe("10");

    // Previous counts pages back from the end: the 10 rows before, then the 3 first ones.
    await button("Previous").click();
    await expect.poll(shownLogins).toEqual(logins.slice(3, 13));
    expect(new URL(page.url()).searchParams.get("fromEnd")).toBe("2");
    expect(await summary()).toBe("Showing 4–13 of 23 users");
    expect(await enabled()).toEqual(["First", "Previous", "Next", "Last"]);
    await button("Previous").click();
    await expect.poll(shownLogins).toEqual(logins.slice(0, 3));
    expect(await summary()).toBe("Showing 1–3 of 23 users");
    expect(await enabled()).toEqual(["Next", "Last"]);

    // Back, twice: the last page as it was.
    await page.goBack();
    await expect.poll(shownLogins).toEqual(logins.slice(3, 13));
    await page.goBack();
    await expect.poll(shownLogins).toEqual(logins.slice(13, 23));
    expect(position()).toEqual({ cursor: "last", page: null });

    // First: the first page read afresh, nothing in the URL but the view.
    await button("First").click();
    await expect.poll(shownLogins).toEqual(logins.slice(0, 10));
    expect(position()).toEqual({ cursor: null, page: null });
    expect(new URL(page.url()).searchParams.get("fromEnd")).toBeNull();
    expect(await summary()).toBe("Showing 1–10 of 23 users");
    expect(await enabled()).toEqual(["Next", "Last"]);
  });

  test("transactions: Next and Previous through a user's ledger, newest first, and the page size", async () => {
    const newestFirst = [...amounts].reverse();
    await go(`/transactions?user=${owner.id}&size=10`);
    await page.getByRole("heading", { name: "Transactions", level: 1 }).waitFor();
    await expect.poll(shownAmounts).toEqual(newestFirst.slice(0, 10));
    expect(await summary()).toBe("Showing 1–10 of 23 transactions");

    await button("Next").click();
    await expect.poll(shownAmounts).toEqual(newestFirst.slice(10, 20));
    await button("Next").click();
    await expect.poll(shownAmounts).toEqual(newestFirst.slice(20, 23));
    expect(await summary()).toBe("Showing 21–23 of 23 transactions");
    expect(await button("Next").isDisabled()).toBe(true);

    await page.reload();
    await expect.poll(shownAmounts).toEqual(newestFirst.slice(20, 23));

    await button("Previous").click();
    await expect.poll(shownAmounts).toEqual(newestFirst.slice(10, 20));
    await page.goBack();
    await expect.poll(shownAmounts).toEqual(newestFirst.slice(20, 23));
    await page.goForward();
    await expect.poll(shownAmounts).toEqual(newestFirst.slice(10, 20));

    // Last and First through the ledger; Last from the newest page shows the 10 oldest.
    await button("Last").click();
    await expect.poll(shownAmounts).toEqual(newestFirst.slice(13, 23));
    expect(await enabled()).toEqual(["First", "Previous"]);
    await page.reload();
    await expect.poll(shownAmounts).toEqual(newestFirst.slice(13, 23));
    await button("First").click();
    await expect.poll(shownAmounts).toEqual(newestFirst.slice(0, 10));
    expect(await enabled()).toEqual(["Next", "Last"]);

    // Another page size starts again at the first page, with the filter kept.
    await page.getByLabel("Per page").selectOption("50");
    await expect.poll(shownAmounts).toEqual(newestFirst);
    expect(await summary()).toBe("Showing 1–23 of 23 transactions");
    expect(new URL(page.url()).searchParams.get("user")).toBe(owner.id);
    expect(await button("Next").isDisabled()).toBe(true);
  });

  test("a bad filter value says what is wrong and changes nothing", async () => {
    await go(`/transactions?user=${owner.id}`);
    await expect.poll(shownAmounts).toHaveLength(20);
    await page.getByLabel("Account id").fill("not-an-id");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByRole("alert").getByText("Account id must be a UUID").waitFor();
    expect(new URL(page.url()).searchParams.get("account")).toBeNull();
    expect(await page.getByLabel("Account id").getAttribute("aria-invalid")).toBe("true");
  });

  test("an estimated total reads 'about N', the page count too", async () => {
    // The API estimates a total when counting would cost more than the page (a year of data); here the
    // answer is made an estimate on its way to the browser.
    await page.route("**/trpc/adminUsers.list**", async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as unknown;
      const results = (Array.isArray(body) ? body : [body]) as { result?: { data?: Record<string, unknown> } }[];
      for (const result of results) {
        if (result.result?.data) Object.assign(result.result.data, { total: 12_345_678, totalIsEstimate: true });
      }
      await route.fulfill({ response, json: body });
    });
    try {
      await go(`/users?q=${stem}-&size=10`);
      await expect.poll(summary).toBe("Showing 1–10 of about 12,345,678 users");
      await page.getByText("Page 1 of about 1,234,568").waitFor();
    } finally {
      await page.unroute("**/trpc/adminUsers.list**");
    }
  });

  test("no uncaught errors in the page", () => {
    expect(errors).toEqual([]);
  });
});
