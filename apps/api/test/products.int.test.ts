// Products: the catalogue any signed-in user reads, and the admin's create / edit / delete, over REST
// (supertest) and over tRPC (caller).
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { type TestUser, bearer, createProduct, createUser, expectError, rejectsWith, useHarness } from "./harness.ts";

let tagCounter = 0;
/** A word no other test's products contain, to search by. */
function tag(): string {
  tagCounter += 1;
  return `tag${tagCounter}q${randomUUID().slice(0, 6)}`;
}

describe("products over REST", () => {
  const h = useHarness();
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    admin = await createUser(h, { isAdmin: true });
    user = await createUser(h);
  });

  async function post(body: unknown, as: TestUser = admin) {
    const req = h.http.post("/products").set(bearer(as));
    return typeof body === "string" ? req.set("Content-Type", "application/json").send(body) : req.send(body as object);
  }

  describe("GET /products", () => {
    it("lists for any signed-in user: {items, total, limit, offset}", async () => {
      const t = tag();
      const p = await createProduct(h, admin, "12.50", `Lamp ${t}`);
      const res = await h.http.get("/products").query({ search: t }).set(bearer(user));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({
        items: [
          expect.objectContaining({
            id: p.id,
            title: `Lamp ${t}`,
            description: "A product",
            price: "12.50",
            deletedAt: null,
          }),
        ],
        total: 1,
        totalIsEstimate: false,
        limit: 20,
        offset: 0,
        nextCursor: null,
        prevCursor: null,
      });
    });

    it("refuses anonymous callers (401)", async () => {
      expectError(await h.http.get("/products"), 401, "UNAUTHORIZED");
    });

    it("pages with limit and offset; limit at most 100", async () => {
      const t = tag();
      for (let i = 0; i < 5; i++) await createProduct(h, admin, `${i + 1}.00`, `Item ${t} ${i}`);
      const page = await h.http
        .get("/products")
        .query({ search: t, limit: 2, offset: 2, sort: "price", order: "asc" })
        .set(bearer(user));
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(5);
      expect(page.body.limit).toBe(2);
      expect(page.body.offset).toBe(2);
      expect(page.body.items.map((p: { price: string }) => p.price)).toEqual(["3.00", "4.00"]);

      const past = await h.http.get("/products").query({ search: t, offset: 10 }).set(bearer(user));
      expect(past.body).toMatchObject({ items: [], total: 5, offset: 10 });

      expect((await h.http.get("/products").query({ limit: 100 }).set(bearer(user))).status).toBe(200);
      for (const query of [
        { limit: 101 },
        { limit: 0 },
        { limit: -1 },
        { limit: "abc" },
        { limit: "1.5" },
        { offset: -1 },
      ]) {
        const res = await h.http.get("/products").query(query).set(bearer(user));
        expectError(res, 400, "BAD_REQUEST");
        expect(Array.isArray(res.body.issues)).toBe(true);
      }
    });

    it("searches title and description case-insensitively", async () => {
      const t = tag();
      const a = await createProduct(h, admin, "1.00", `Red APPLE ${t}`);
      const b = await createProduct(h, admin, "2.00", `green apple pie ${t}`);
      await createProduct(h, admin, "3.00", `Banana ${t}`);
      const res = await h.http
        .get("/products")
        .query({ search: `${t.toUpperCase()}` })
        .set(bearer(user));
      expect(res.body.total).toBe(3);
      const apples = await h.http.get("/products").query({ search: "aPpLe" }).set(bearer(user));
      expect(apples.body.items.map((p: { id: string }) => p.id).sort()).toEqual([a.id, b.id].sort());

      const inDescription = await h.http
        .post("/products")
        .set(bearer(admin))
        .send({ title: "Plain", description: `Hidden word ${t}XYZ`, price: "1.00" });
      expect(inDescription.status).toBe(201);
      const found = await h.http
        .get("/products")
        .query({ search: `${t}xyz` })
        .set(bearer(user));
      expect(found.body.items.map((p: { id: string }) => p.id)).toEqual([inDescription.body.id]);
    });

    it("treats LIKE wildcards in the search as plain characters", async () => {
      const t = tag();
      await createProduct(h, admin, "1.00", `Plain ${t}`);
      const pct = await createProduct(h, admin, "1.00", `Discount 50% ${t}`);
      const all = await h.http.get("/products").query({ search: "%" }).set(bearer(user));
      expect(all.status).toBe(200);
      expect(all.body.items.map((p: { id: string }) => p.id)).toEqual([pct.id]);
      const underscore = await h.http.get("/products").query({ search: "_" }).set(bearer(user));
      expect(underscore.body.total).toBe(0);
      const slash = await createProduct(h, admin, "1.00", `Back\\slash ${t}`);
      const backslash = await h.http.get("/products").query({ search: "k\\s" }).set(bearer(user));
      expect(backslash.body.items.map((p: { id: string }) => p.id)).toEqual([slash.id]);
      const literal = await h.http
        .get("/products")
        .query({ search: `50% ${t}` })
        .set(bearer(user));
      expect(literal.body.items.map((p: { id: string }) => p.id)).toEqual([pct.id]);
    });

    it("sorts by price, title and createdAt in either order", async () => {
      const t = tag();
      await createProduct(h, admin, "20.00", `bravo ${t}`);
      await createProduct(h, admin, "5.00", `charlie ${t}`);
      await createProduct(h, admin, "100.00", `alpha ${t}`);
      const list = async (sort: string, order: string) => {
        const res = await h.http.get("/products").query({ search: t, sort, order }).set(bearer(user));
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body.items as { title: string; price: string; createdAt: string }[];
      };
      // 100 > 20 > 5 numerically: a text sort would put "100.00" first in ascending order.
      expect((await list("price", "asc")).map((p) => p.price)).toEqual(["5.00", "20.00", "100.00"]);
      expect((await list("price", "desc")).map((p) => p.price)).toEqual(["100.00", "20.00", "5.00"]);
      expect((await list("title", "asc")).map((p) => p.title.split(" ")[0])).toEqual(["alpha", "bravo", "charlie"]);
      expect((await list("title", "desc")).map((p) => p.title.split(" ")[0])).toEqual(["charlie", "bravo", "alpha"]);
      const byDate = (await list("createdAt", "asc")).map((p) => p.createdAt);
      expect([...byDate].sort()).toEqual(byDate);
      const byDateDesc = (await list("createdAt", "desc")).map((p) => p.createdAt);
      expect([...byDateDesc].sort().reverse()).toEqual(byDateDesc);

      expectError(await h.http.get("/products").query({ sort: "password" }).set(bearer(user)), 400, "BAD_REQUEST");
      expectError(await h.http.get("/products").query({ order: "sideways" }).set(bearer(user)), 400, "BAD_REQUEST");
    });

    it("hides deleted products; includeDeleted=true is for admins only", async () => {
      const t = tag();
      const kept = await createProduct(h, admin, "1.00", `Kept ${t}`);
      const gone = await createProduct(h, admin, "1.00", `Gone ${t}`);
      expect((await h.http.delete(`/products/${gone.id}`).set(bearer(admin))).status).toBe(200);

      for (const who of [user, admin]) {
        const res = await h.http.get("/products").query({ search: t }).set(bearer(who));
        expect(res.body.items.map((p: { id: string }) => p.id)).toEqual([kept.id]);
        expect(res.body.total).toBe(1);
      }
      const withDeleted = await h.http.get("/products").query({ search: t, includeDeleted: "true" }).set(bearer(admin));
      expect(withDeleted.status).toBe(200);
      expect(withDeleted.body.total).toBe(2);
      expect(withDeleted.body.items.find((p: { id: string }) => p.id === gone.id).deletedAt).toEqual(
        expect.any(String),
      );

      expectError(await h.http.get("/products").query({ includeDeleted: "true" }).set(bearer(user)), 403, "FORBIDDEN");
      expect((await h.http.get("/products").query({ includeDeleted: "false" }).set(bearer(user))).status).toBe(200);
      expectError(
        await h.http.get("/products").query({ includeDeleted: "yes" }).set(bearer(admin)),
        400,
        "BAD_REQUEST",
      );
      expectError(await h.http.get("/products").query({ includeDeleted: "1" }).set(bearer(user)), 400, "BAD_REQUEST");
    });
  });

  describe("admin: GET /products/{id}", () => {
    it("returns the product, 404 for an unknown id, 400 for a malformed one", async () => {
      const p = await createProduct(h, admin, "7.00", "Single");
      const res = await h.http.get(`/products/${p.id}`).set(bearer(admin));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: p.id, title: "Single", price: "7.00", deletedAt: null });
      expectError(await h.http.get(`/products/${randomUUID()}`).set(bearer(admin)), 404, "NOT_FOUND");
      expectError(await h.http.get("/products/not-a-uuid").set(bearer(admin)), 400, "BAD_REQUEST");
    });
  });

  describe("admin: POST /products", () => {
    it.each([
      ["number 12.5", 12.5, "12.50"],
      ["string 12.50", "12.50", "12.50"],
      ["string 12.5", "12.5", "12.50"],
      ["integer 30", 30, "30.00"],
      ["string 0.01", "0.01", "0.01"],
      ["the maximum", "1000000000.00", "1000000000.00"],
    ])("accepts the price as %s → %s (201)", async (_label, price, expected) => {
      const res = await post({ title: "Priced", price });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ title: "Priced", description: "", price: expected, deletedAt: null });
      expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it.each([
      ["100.0", "100.00"],
      ["50.5", "50.50"],
      ["0.30", "0.30"],
    ])("keeps the exact text of the JSON number literal %s → %s", async (literal, expected) => {
      const res = await post(`{"title":"Literal","price":${literal}}`);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.price).toBe(expected);
    });

    it.each([
      ["0", 0],
      ['"0.00"', "0.00"],
      ["a negative number", -5],
      ['"-5.00"', "-5.00"],
      ["three decimals", 12.345],
      ['"12.345"', "12.345"],
      ['"abc"', "abc"],
      ["an empty string", ""],
      ["null", null],
      ["a boolean", true],
      ["an object", { amount: 1 }],
      ["above the maximum", "1000000000.01"],
      ['"1e3"', "1e3"],
      ['"12,50"', "12,50"],
      ['" "', " "],
    ])("refuses the price %s (400)", async (_label, price) => {
      const res = await post({ title: "Bad", price });
      expectError(res, 400, "BAD_REQUEST");
      expect(res.body.issues.map((i: { path: string[] }) => i.path.join("."))).toContain("price");
    });

    it.each(["1e3", "1E3", "1.5e2", "0.30000000000000004", "1152921504606846976", "-0", "12.345"])(
      "refuses the JSON number literal %s (400)",
      async (literal) => {
        const res = await post(`{"title":"Literal","price":${literal}}`);
        expectError(res, 400, "BAD_REQUEST");
      },
    );

    it("refuses a missing price, a missing or blank title, and an overlong title", async () => {
      expectError(await post({ title: "No price" }), 400, "BAD_REQUEST");
      expectError(await post({ price: "1.00" }), 400, "BAD_REQUEST");
      expectError(await post({ title: "   ", price: "1.00" }), 400, "BAD_REQUEST");
      expectError(await post({ title: "x".repeat(201), price: "1.00" }), 400, "BAD_REQUEST");
      expectError(await post({ title: "ok", description: "x".repeat(5001), price: "1.00" }), 400, "BAD_REQUEST");
    });

    it("ignores server-owned fields sent by the client", async () => {
      const res = await post({ title: "Owned", price: "1.00", id: randomUUID(), deletedAt: new Date().toISOString() });
      expect(res.status).toBe(201);
      expect(res.body.deletedAt).toBeNull();
    });
  });

  describe("admin: PUT /products/{id}", () => {
    it("changes only the fields given (200)", async () => {
      const p = await createProduct(h, admin, "10.00", "Before");
      const res = await h.http.put(`/products/${p.id}`).set(bearer(admin)).send({ price: 15 });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ id: p.id, title: "Before", description: "A product", price: "15.00" });
      const renamed = await h.http.put(`/products/${p.id}`).set(bearer(admin)).send({ title: "After" });
      expect(renamed.body).toMatchObject({ title: "After", price: "15.00" });
      const described = await h.http.put(`/products/${p.id}`).set(bearer(admin)).send({ description: "" });
      expect(described.body).toMatchObject({ title: "After", description: "", price: "15.00" });
    });

    it("refuses an empty body, bad values, and answers 404 for unknown or deleted products", async () => {
      const p = await createProduct(h, admin, "10.00", "Target");
      expectError(await h.http.put(`/products/${p.id}`).set(bearer(admin)).send({}), 400, "BAD_REQUEST");
      expectError(
        await h.http.put(`/products/${p.id}`).set(bearer(admin)).set("Content-Type", "application/json").send(""),
        400,
        "BAD_REQUEST",
      );
      expectError(await h.http.put(`/products/${p.id}`).set(bearer(admin)).send({ price: "0" }), 400, "BAD_REQUEST");
      expectError(await h.http.put(`/products/${p.id}`).set(bearer(admin)).send({ title: "" }), 400, "BAD_REQUEST");
      expectError(
        await h.http.put(`/products/${randomUUID()}`).set(bearer(admin)).send({ title: "x" }),
        404,
        "NOT_FOUND",
      );
      expect((await h.http.delete(`/products/${p.id}`).set(bearer(admin))).status).toBe(200);
      expectError(await h.http.put(`/products/${p.id}`).set(bearer(admin)).send({ title: "x" }), 404, "NOT_FOUND");
    });

    it("takes the id from the path, never from the body", async () => {
      const a = await createProduct(h, admin, "10.00", "Path A");
      const b = await createProduct(h, admin, "10.00", "Path B");
      const res = await h.http.put(`/products/${a.id}`).set(bearer(admin)).send({ id: b.id, title: "Renamed" });
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(a.id);
      expect((await h.http.get(`/products/${b.id}`).set(bearer(admin))).body.title).toBe("Path B");
    });
  });

  describe("admin: DELETE /products/{id}", () => {
    it("soft-deletes: 200, gone from the list, present with includeDeleted, a second DELETE is 404", async () => {
      const t = tag();
      const p = await createProduct(h, admin, "3.00", `Doomed ${t}`);
      const res = await h.http.delete(`/products/${p.id}`).set(bearer(admin));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: p.id, title: `Doomed ${t}`, price: "3.00", deletedAt: expect.any(String) });

      const list = await h.http.get("/products").query({ search: t }).set(bearer(user));
      expect(list.body).toMatchObject({ items: [], total: 0 });
      const withDeleted = await h.http.get("/products").query({ search: t, includeDeleted: true }).set(bearer(admin));
      expect(withDeleted.body.items.map((x: { id: string }) => x.id)).toEqual([p.id]);
      // The row stays: purchase history keeps pointing at it.
      expect(await h.db.prisma.product.count({ where: { id: p.id } })).toBe(1);
      // The admin's single-product view still shows it, marked deleted.
      const single = await h.http.get(`/products/${p.id}`).set(bearer(admin));
      expect(single.status).toBe(200);
      expect(single.body.deletedAt).toEqual(expect.any(String));

      expectError(await h.http.delete(`/products/${p.id}`).set(bearer(admin)), 404, "NOT_FOUND");
      expectError(await h.http.delete(`/products/${randomUUID()}`).set(bearer(admin)), 404, "NOT_FOUND");
    });
  });

  describe("access control", () => {
    it("answers 403 to a non-admin and 401 to an anonymous caller on every admin route", async () => {
      const p = await createProduct(h, admin, "3.00", "Guarded");
      const routes = [
        () => h.http.get(`/products/${p.id}`),
        () => h.http.post("/products").send({ title: "Nope", price: "1.00" }),
        () => h.http.put(`/products/${p.id}`).send({ title: "Nope" }),
        () => h.http.delete(`/products/${p.id}`),
      ];
      for (const route of routes) {
        expectError(await route().set(bearer(user)), 403, "FORBIDDEN");
        expectError(await route(), 401, "UNAUTHORIZED");
      }
      // Even with an invalid body, a non-admin learns nothing about validation.
      expectError(await h.http.post("/products").set(bearer(user)).send({}), 403, "FORBIDDEN");
      const after = await h.http.get(`/products/${p.id}`).set(bearer(admin));
      expect(after.body).toMatchObject({ title: "Guarded", deletedAt: null });
      expect(await h.db.prisma.product.count({ where: { title: "Nope" } })).toBe(0);
    });
  });
});

describe("products over tRPC (caller)", () => {
  const h = useHarness();
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    admin = await createUser(h, { isAdmin: true });
    user = await createUser(h);
  });

  it("creates, reads, edits, lists and deletes", async () => {
    const a = h.caller(admin.token);
    const created = await a.products.create({ title: "Caller", price: 12.5 });
    expect(created).toMatchObject({ title: "Caller", description: "", price: "12.50", deletedAt: null });
    expect(await a.products.get({ id: created.id })).toMatchObject({ id: created.id, price: "12.50" });
    expect(await a.products.update({ id: created.id, price: "99.9" })).toMatchObject({
      price: "99.90",
      title: "Caller",
    });

    const page = await h.caller(user.token).products.list({ search: "CALLER" });
    expect(page).toMatchObject({ total: 1, limit: 20, offset: 0 });
    expect(page.items[0]).toMatchObject({ id: created.id, price: "99.90" });

    expect((await a.products.delete({ id: created.id })).deletedAt).not.toBeNull();
    expect((await h.caller(user.token).products.list({ search: "caller" })).total).toBe(0);
    expect((await a.products.list({ search: "caller", includeDeleted: true })).total).toBe(1);
    await rejectsWith(a.products.delete({ id: created.id }), "NOT_FOUND");
  });

  it("refuses bad prices and inputs", async () => {
    const a = h.caller(admin.token);
    for (const price of [0.1 + 0.2, 0, -1, 12.345, "abc", "1e3", 1e21, Number.NaN, Number.POSITIVE_INFINITY]) {
      await rejectsWith(a.products.create({ title: "Bad", price }), "BAD_REQUEST");
    }
    await rejectsWith(a.products.update({ id: randomUUID() }), "BAD_REQUEST");
    await rejectsWith(a.products.update({ id: randomUUID(), title: "x" }), "NOT_FOUND");
    await rejectsWith(a.products.list({ limit: 101 }), "BAD_REQUEST");
  });

  it("enforces roles", async () => {
    const u = h.caller(user.token);
    await rejectsWith(u.products.create({ title: "Nope", price: "1.00" }), "FORBIDDEN");
    await rejectsWith(u.products.get({ id: randomUUID() }), "FORBIDDEN");
    await rejectsWith(u.products.update({ id: randomUUID(), title: "x" }), "FORBIDDEN");
    await rejectsWith(u.products.delete({ id: randomUUID() }), "FORBIDDEN");
    await rejectsWith(u.products.list({ includeDeleted: true }), "FORBIDDEN");
    await rejectsWith(h.caller().products.list({}), "UNAUTHORIZED");
    await rejectsWith(h.caller().products.create({ title: "Nope", price: "1.00" }), "UNAUTHORIZED");
  });
});
