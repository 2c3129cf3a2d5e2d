// The CSV export's cells, built by PostgreSQL (transactions.repository csvCell): a text that a spreadsheet
// would read as a formula gets a ' in front, a cell with , ; " or a line break is quoted with its quotes
// doubled, with no exemption for text that looks like a number (`-1+1`: money is never negative); empty
// cells stay empty; many rows come out in order across the export's chunks.
import { describe, expect, it } from "vitest";
import { bearer, createProduct, createUser, credit, providerId, useHarness } from "./harness.ts";

const h = useHarness();

describe("GET /transactions.csv cells", () => {
  it("neutralises formulas and quotes separators, across chunks", async () => {
    const admin = await createUser(h, { isAdmin: true });
    const alice = await createUser(h, { numericId: providerId() });
    const { accountId } = await credit(h, alice, providerId(), "100.00");
    const titles = ["=SUM(A1:A9)", "+1 lamp", "@home", "-x", "-1+1", "a;b", 'say "hi"', "plain"];
    for (const title of titles) {
      const p = await createProduct(h, admin, "1.00", title);
      const res = await h.http.post("/products/buy").set(bearer(alice)).send({ productId: p.id, accountId });
      expect(res.status, res.text).toBeLessThan(300);
    }
    // A line break is allowed in a reason (not in a title): quoted, the record spans two lines.
    const adjusted = await h.http
      .post(`/accounts/${accountId}/adjustments`)
      .set(bearer(admin))
      .send({ direction: "credit", amount: "1.00", reason: "two\r\nlines" });
    expect(adjusted.status, adjusted.text).toBe(201);
    const csv = await h.http.get("/transactions.csv").query({ accountId }).set(bearer(admin)).buffer(true);
    expect(csv.status, csv.text).toBe(200);
    const body = csv.text;
    for (const cell of [
      "'=SUM(A1:A9)",
      "'+1 lamp",
      "'@home",
      "'-x",
      "'-1+1",
      '"a;b"',
      '"say ""hi"""',
      '"two\r\nlines"',
      ",plain,",
      ",100.00,100.00,",
    ]) {
      expect(body, cell).toContain(cell);
    }
    // header, buys, credit, adjustment (its reason splits it over two lines)
    expect(body.split("\r\n").filter(Boolean)).toHaveLength(1 + titles.length + 1 + 2);
  });

  it("keeps the order and every row across chunks of the export", async () => {
    const admin = await createUser(h, { isAdmin: true });
    const bob = await createUser(h, { numericId: providerId() });
    for (let i = 0; i < 12; i++) await credit(h, bob, providerId(), `${i + 1}.00`);
    const listing = await h.http.get("/transactions").query({ userId: bob.id, limit: 100 }).set(bearer(admin));
    const csv = await h.http.get("/transactions.csv").query({ userId: bob.id }).set(bearer(admin)).buffer(true);
    const ids = csv.text
      .split("\r\n")
      .slice(1)
      .filter(Boolean)
      .map((line) => line.split(",")[0]);
    expect(ids).toEqual(listing.body.items.map((t: { id: string }) => t.id));
  });
});
