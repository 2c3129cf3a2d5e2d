// An API key revoked through one API process is refused by another at its very next call: keys are
// looked up in the database at every call (no per-process cache to invalidate). Two server processes on
// one PostgreSQL database; PostgreSQL only (PGlite is one process's embedded database).
import { createEmptyPostgresDb, testDatabaseUrl } from "@shop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send } from "../support/http.ts";
import { type ApiServer, SERVER_SECRETS, startApiServer } from "./api-server.ts";

const SKIP_REASON = "PostgreSQL only: it runs two API server processes on one database; set DATABASE_URL";

describe.skipIf(!testDatabaseUrl)(
  `API key revocation across two processes${testDatabaseUrl ? "" : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    let drop: (() => Promise<void>) | undefined;
    let a: ApiServer;
    let b: ApiServer;
    let token: string;

    beforeAll(async () => {
      const empty = await createEmptyPostgresDb(testDatabaseUrl!);
      drop = empty.drop;
      a = await startApiServer({ name: "keys-a", databaseUrl: empty.url });
      b = await startApiServer({ name: "keys-b", databaseUrl: empty.url });
      const login = await send(a.base, "POST", "/auth", {
        json: { login: SERVER_SECRETS.ADMIN_LOGIN, password: SERVER_SECRETS.ADMIN_PASSWORD },
      });
      expect(login.status, login.text).toBe(200);
      token = login.body.accessToken;
    }, 180_000);

    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await drop?.();
    });

    it("the other process refuses the key at the first call after the revocation answered", async () => {
      for (let round = 0; round < 5; round++) {
        const created = await send(a.base, "POST", "/api-keys", {
          token,
          json: { name: `round ${round}`, scopes: ["read"] },
        });
        expect(created.status, created.text).toBe(201);
        const key = created.body.key as string;
        // B serves the key (and has just looked it up)…
        expect((await send(b.base, "GET", "/transactions", { token: key })).status).toBe(200);
        const revoked = await send(a.base, "DELETE", `/api-keys/${created.body.id}`, { token });
        expect(revoked.status, revoked.text).toBe(200);
        // …and refuses it at once, with no delay allowed.
        const after = await send(b.base, "GET", "/transactions", { token: key });
        expect(after.status, after.text).toBe(401);
        expect(after.body.appCode).toBe("TOKEN_REVOKED");
      }
    });
  },
);
