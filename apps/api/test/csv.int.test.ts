// GET /transactions.csv as a spreadsheet would read it: no cell is a formula (=, +, -, @, tab, CR get a
// leading '), and a cell holding a comma, a semicolon, a quote or a line break is quoted. And the
// export is an operation of /openapi.json.
import { type SqlClient, statement } from "@shop/db";
import { beforeAll, describe, expect, it } from "vitest";
import { transactionsRepository } from "../src/repositories/transactions.repository.ts";
import { csvField, csvLine } from "../src/services/csv.ts";
import { type TestUser, createProduct, createUser, credit, providerId, useHarness } from "./harness.ts";
import { parseCsv } from "./support/csv.ts";

const HOSTILE = ["-1+1", "-2+3+cmd|' /C calc'!A0", '-0+HYPERLINK("http://e.x","c")', "x;=1+1"];

describe("csvField", () => {
  it("prefixes every cell that starts like a formula, numbers included", () => {
    expect(csvField("-1+1")).toBe("'-1+1");
    expect(csvField("-2+3+cmd|' /C calc'!A0")).toBe("'-2+3+cmd|' /C calc'!A0");
    expect(csvField('-0+HYPERLINK("http://e.x","c")')).toBe(`"'-0+HYPERLINK(""http://e.x"",""c"")"`);
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\t=1")).toBe("'\t=1");
    expect(csvField("\r=1")).toBe(`"'\r=1"`);
    expect(csvField("-5.00")).toBe("'-5.00");
  });

  it("quotes a cell holding a comma, a semicolon, a quote or a line break", () => {
    expect(csvField("x;=1+1")).toBe('"x;=1+1"');
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
  });

  it("leaves plain cells alone and writes nothing for null", () => {
    expect(csvField("150.50")).toBe("150.50");
    expect(csvField(1042)).toBe("1042");
    expect(csvField("Lamp")).toBe("Lamp");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvLine(["a", null, "b;c"])).toBe('a,,"b;c"\r\n');
  });
});

describe("GET /transactions.csv", () => {
  const h = useHarness();
  let admin: TestUser;
  const auth = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });

  beforeAll(async () => {
    admin = await createUser(h, { isAdmin: true });
    const alice = await createUser(h, { numericId: providerId() });
    const account = (await credit(h, alice, providerId(), "100.00")).accountId;
    for (const title of HOSTILE) {
      const product = await createProduct(h, admin, "1.00", title);
      const bought = await h.http
        .post("/products/buy")
        .set(auth(alice))
        .send({ productId: product.id, accountId: account });
      expect(bought.status, bought.text).toBe(200);
    }
    const adjusted = await h.http
      .post(`/accounts/${account}/adjustments`)
      .set(auth(admin))
      .send({ direction: "credit", amount: "1", reason: "x;=1+1" });
    expect(adjusted.status, adjusted.text).toBe(201);
  });

  it("exports product titles and reasons guarded against formulas and quoted around ;", async () => {
    const res = await h.http.get("/transactions.csv").set(auth(admin)).buffer(true);
    expect(res.status, res.text).toBe(200);
    expect(res.type).toBe("text/csv");
    const [header, ...records] = parseCsv(res.text);
    const rows = records.map((r) => Object.fromEntries(header!.map((name, j) => [name, r[j]!])));
    const titles = rows.filter((r) => r.kind === "purchase").map((r) => r.productTitle);
    expect(titles.sort()).toEqual(['\'-0+HYPERLINK("http://e.x","c")', "'-1+1", "'-2+3+cmd|' /C calc'!A0", "x;=1+1"]);
    expect(res.text).toContain('"x;=1+1"');
    expect(res.text).toContain(`"'-0+HYPERLINK(""http://e.x"",""c"")"`);
    expect(rows.find((r) => r.kind === "adjustment")?.reason).toBe("x;=1+1");
    // Money cells are plain: never negative, never prefixed.
    for (const row of rows) expect(row.amount).toMatch(/^[0-9]+\.[0-9]{2}$/);
  });

  it("is an operation of /openapi.json: text/csv, the listing's filters, 400, 401, 403", async () => {
    const document = (await h.http.get("/openapi.json")).body;
    const operation = document.paths["/transactions.csv"]?.get;
    expect(operation).toBeDefined();
    expect(Object.keys(operation.responses["200"].content)).toEqual(["text/csv"]);
    expect(operation.parameters.map((p: { name: string }) => p.name).sort()).toEqual(
      ["accountId", "from", "id", "kind", "productId", "to", "transactionId", "userId"].sort(),
    );
    for (const status of ["400", "401", "403"]) expect(operation.responses[status]).toBeDefined();
    expect(operation.responses["403"].content["application/json"].schema.properties.appCode.enum).toEqual([
      "ACCOUNT_DISABLED",
      "ADMIN_ONLY",
      "INSUFFICIENT_SCOPE",
    ]);
    // A person's token, or an API key with `read` (issue 21).
    expect(operation.security).toEqual([{ Authorization: [] }, { ApiKeyRead: [] }]);
  });
});

describe("the CSV export's two readers", () => {
  // A pool of one: a connection the cursor kept after a reader stopped would hang the next statement.
  const h = useHarness({ poolSize: 1 });

  beforeAll(async () => {
    const admin = await createUser(h, { isAdmin: true });
    const alice = await createUser(h, { numericId: providerId() });
    const account = (await credit(h, alice, providerId(), "100.00")).accountId;
    for (let i = 0; i < 6; i++) await credit(h, alice, providerId(), `${i + 1}.25`);
    const product = await createProduct(h, admin, "1.00", "a,b;c");
    const bought = await h.http
      .post("/products/buy")
      .set({ Authorization: `Bearer ${alice.token}` })
      .send({ productId: product.id, accountId: account });
    expect(bought.status, bought.text).toBe(200);
  });

  const lines = async (sql: SqlClient, chunk: number) => {
    const out: string[] = [];
    for await (const c of transactionsRepository({ sql }).csv({}, chunk)) out.push(c);
    return out;
  };

  it("write the same bytes: one statement through a cursor (PostgreSQL) and keyset pages (PGlite), in chunks", async () => {
    const paged = await lines({ query: h.db.sql.query, transaction: h.db.sql.transaction }, 3);
    expect(paged.join("").split("\r\n")).toHaveLength(9); // 8 rows and the final CRLF
    const whole = await lines(h.db.sql, 3);
    expect(whole.join("")).toBe(paged.join(""));
    expect(whole).toHaveLength(3); // 3 + 3 + 2 rows either way
  });

  it("give the connection back when the reader stops early", async () => {
    for (let i = 0; i < 3; i++) {
      for await (const chunk of transactionsRepository(h.db).csv({}, 2)) {
        expect(chunk.split("\r\n")).toHaveLength(3);
        break;
      }
    }
    const [row] = await h.db.sql.query(
      statement<{ n: string }>("csv-test.count", "SELECT count(*)::text AS n FROM ledger_entries"),
      [],
    );
    expect(row!.n).toBe("8");
  });
});
