// Integrations end to end in Chromium, against a real local webhook receiver: add an endpoint (the
// secret shown once, with a copy button), an event reaches the receiver signed with that secret, a failed
// delivery is retried with one click, a test ping, a rotation (new secret shown, two signatures),
// disable, and the event log with its type filter and each event's JSON.
import { randomInt } from "node:crypto";
import { type Receiver, startReceiver } from "@shop/api/test-support/receiver";
import type { Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { chromiumPath, SKIP_REASON } from "./env.ts";
import { ADMIN, api, type Browser, launchBrowser } from "./harness.ts";

const hasChromium = chromiumPath() !== undefined;
if (!hasChromium) console.warn(`[e2e] integrations.e2e.test.ts SKIPPED: ${SKIP_REASON}`);

describe.skipIf(!hasChromium)("integrations in Chromium", () => {
  const base = inject("apiUrl");
  const rest = api(base);
  const run = randomInt(1e6);
  let browser: Browser;
  let page: Page;
  let admin: string;
  let receiver: Receiver;
  let secret = "";
  const errors: string[] = [];

  const go = (path: string) => page.goto(`${base}/admin${path}`);
  const toast = (text: string | RegExp) => page.locator(".toasts").getByText(text);

  beforeAll(async () => {
    admin = await rest.token(ADMIN.login, ADMIN.password);
    receiver = await startReceiver();
    browser = await launchBrowser();
    page = browser.page;
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"]);
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    await go("/");
    await page.getByLabel("Login").fill(ADMIN.login);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
  });

  afterAll(async () => {
    await browser?.stop();
    await receiver?.close();
    expect(errors).toEqual([]);
  });

  test("adds an endpoint: the secret once, with a copy button", async () => {
    await page.getByRole("link", { name: "Integrations" }).click();
    await page.getByRole("heading", { name: "Integrations", level: 1 }).waitFor();
    await page.getByLabel("URL").fill(`${receiver.url}/hook`);
    await page.getByLabel("Description", { exact: true }).fill(`e2e ${run}`);
    await page.getByRole("checkbox", { name: "product.created" }).check();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await toast(/Endpoint .* added/).waitFor();
    secret = (await page.getByTestId("secret").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole("button", { name: "Copy" }).click();
    await page.getByRole("button", { name: "Copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await page.getByRole("button", { name: "Done" }).click();
    expect(await page.getByTestId("secret").count()).toBe(0);
    await page.getByRole("link", { name: `${receiver.url}/hook` }).waitFor();
  });

  test("an event reaches the receiver signed; a failed delivery is retried with one click", async () => {
    receiver.answer = () => ({ status: 500, body: "receiver down" });
    await rest.createProduct(admin, { title: `Webhook lamp ${run}`, price: "12.00" });
    await receiver.waitFor(1);
    await page.getByRole("link", { name: `${receiver.url}/hook` }).click();
    const delivery = page.getByTestId("delivery").first();
    await delivery.getByText("#1 500").waitFor({ timeout: 20_000 });
    await delivery.getByText("receiver down").first().waitFor({ state: "attached" });
    receiver.answer = () => ({ status: 200, body: "ok" });
    await delivery.getByRole("button", { name: "Retry" }).click();
    await toast("Delivery queued again").waitFor();
    await delivery.getByText("#2 200").waitFor({ timeout: 20_000 });
    await delivery.getByText("delivered", { exact: true }).waitFor();
    const [first, second] = receiver.received;
    expect(second!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    const event = new Webhook(secret).verify(second!.body, second!.headers as Record<string, string>);
    expect(event).toMatchObject({ type: "product.created", data: { title: `Webhook lamp ${run}` } });
  });

  test("sends a test ping; rotates the secret (shown once, two signatures); disables", async () => {
    const before = receiver.received.length;
    await page.getByRole("button", { name: "Send test" }).click();
    await toast("Test message queued").waitFor();
    await receiver.waitFor(before + 1);
    expect(JSON.parse(receiver.received[before]!.body)).toMatchObject({ type: "ping" });

    await page.getByRole("button", { name: "Rotate secret" }).click();
    await toast(/New secret made/).waitFor();
    const rotated = (await page.getByTestId("secret").textContent()) ?? "";
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await page.getByRole("button", { name: "Send test" }).click();
    await receiver.waitFor(before + 2);
    const signed = receiver.received[before + 1]!;
    expect((signed.headers["webhook-signature"] as string).split(" ")).toHaveLength(2);
    for (const s of [secret, rotated]) {
      expect(new Webhook(s).verify(signed.body, signed.headers as Record<string, string>)).toMatchObject({
        type: "ping",
      });
    }

    await page.getByRole("button", { name: "Disable" }).click();
    await page.getByTestId("endpoint-state").getByText("Disabled").waitFor();
    await page.getByRole("button", { name: "Enable" }).waitFor();
  });

  test("the event log: filter by type, each event's JSON", async () => {
    // Other files' products came first: start the page just before this file's event.
    let mine: { seq: number } | undefined;
    for (let after = "0"; !mine;) {
      const page1 = (await rest.get(admin, `/events?type=product.created&limit=500&after=${after}`)) as {
        items: { seq: number; data: { title?: string } }[];
        nextCursor: string | null;
      };
      mine = page1.items.find((e) => e.data.title === `Webhook lamp ${run}`);
      if (!page1.nextCursor) break;
      after = page1.nextCursor;
    }
    expect(mine).toBeDefined();
    await go(`/integrations/events?type=product.created&after=${mine!.seq - 1}`);
    await page.getByRole("heading", { name: "Event log", level: 1 }).waitFor();
    const row = page.getByTestId("event").first();
    await row.locator("summary").click();
    await row.getByText(`"title": "Webhook lamp ${run}"`).waitFor();
    const types = await page.getByTestId("event").locator("td:nth-child(2)").allTextContents();
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set(["product.created"]));
  });
});
