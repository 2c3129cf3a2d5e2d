// The example under examples/ts-client runs against a live (listening) server and gets typed answers.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demo } from "../../../examples/ts-client/src/demo.ts";
import { uniqueLogin, useHarness } from "./harness.ts";

describe("examples/ts-client against a live server", () => {
  const h = useHarness();
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    server = createServer(h.app).listen(0, "127.0.0.1");
    await once(server, "listening");
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
  });

  it("registers, activates, signs in and reads the wallet through the typed client", async () => {
    const login = uniqueLogin("client");
    const result = await demo(baseUrl, login, "example-password");
    expect(result).toEqual({ login, numericId: expect.any(Number), productCount: 0, accounts: [] });
  });
});
