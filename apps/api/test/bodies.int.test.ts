// A POST whose operation takes no body (its input is the path's, or none) is answered without a body
// and without a Content-Type, as `curl -X POST` sends it: no 415 (patches/README.md, item 5). The
// requests here are written byte by byte on a socket, so nothing adds a Content-Length or a type.
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestUser, createProduct, createUser, expectError, useHarness } from "./harness.ts";

const h = useHarness();
let server: Server;
let admin: TestUser;

beforeAll(async () => {
  admin = await createUser(h, { isAdmin: true });
  server = h.app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends `POST path` with only Host, Authorization and Connection headers (curl -X POST); the answer. */
function bareRequest(path: string, headers: string[] = []): Promise<{ status: number; head: string; body: string }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => (text += chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const [head = "", body = ""] = text.split("\r\n\r\n");
      resolve({ status: Number(head.split(" ")[1]), head, body });
    });
    socket.write(
      [
        `POST ${path} HTTP/1.1`,
        "Host: localhost",
        `Authorization: Bearer ${admin.token}`,
        "Connection: close",
        ...headers,
      ]
        .join("\r\n")
        .concat("\r\n\r\n"),
    );
  });
}

describe("a POST without a body", () => {
  it("POST /products/{id}/restore answers 200, not 415", async () => {
    const product = await createProduct(h, admin, "5.00", "Spoon");
    expect(
      (await h.http.delete(`/products/${product.id}`).set({ Authorization: `Bearer ${admin.token}` })).status,
    ).toBe(200);
    const res = await bareRequest(`/products/${product.id}/restore`);
    expect(res.status, res.head + res.body).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ id: product.id, deletedAt: null });
  });

  it("POST /users/{id}/activation-link answers 201, not 415", async () => {
    const reg = await h.http.post("/users").send({ login: `pending${Date.now()}`, password: "password-123" });
    expect(reg.status, reg.text).toBe(201);
    const res = await bareRequest(`/users/${reg.body.id}/activation-link`);
    expect(res.status, res.head + res.body).toBe(201);
    expect(JSON.parse(res.body).activationUrl).toMatch(/\/users\/activate\//);
  });

  it("an operation that needs body fields answers its schema's 400; a body with a wrong type is still 415", async () => {
    const res = await bareRequest("/products");
    expect(res.status, res.head + res.body).toBe(400);
    expect(JSON.parse(res.body).appCode).toBe("INVALID_INPUT");
    expectError(
      await h.http
        .post("/products")
        .set({ Authorization: `Bearer ${admin.token}` })
        .set("Content-Type", "text/plain")
        .send('{"title":"x","price":"1"}'),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
  });

  it("POST /auth/sign-out answers 204 with neither body nor Content-Type", async () => {
    const user = await createUser(h);
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/auth/sign-out`, {
      method: "POST",
      headers: { Authorization: `Bearer ${user.token}` },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("content-type")).toBeNull();
    expect(await res.text()).toBe("");
  });
});
