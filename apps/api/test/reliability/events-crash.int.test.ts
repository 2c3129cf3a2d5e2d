// Events out across a kill -9: an API server (production mode, its own dispatcher) is killed right after
// a purchase commits, and while a delivery's attempt is in flight; after a restart on the same database
// every event still reaches the receiver, with the same webhook-id (at-least-once: the in-flight one
// arrives twice, as attempt 1 and attempt 2).
// PostgreSQL only (the embedded PGlite is not shared with a child process).
import { createDb, type Db } from "@shop/db";
import { createEmptyPostgresDb, testDatabaseUrl, testDbOptions } from "@shop/db/testing";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send } from "../support/http.ts";
import { type Receiver, startReceiver } from "../support/receiver.ts";
import { providerId, webhookText } from "../support/webhook.ts";
import { type ApiServer, SERVER_SECRETS, startApiServer } from "./api-server.ts";
import { createLoadUsers } from "./load.ts";

const SKIP_REASON = "PostgreSQL only: it runs an API server child process; set DATABASE_URL to a PostgreSQL server";
if (!testDatabaseUrl) console.log(`[reliability] events-crash.int.test.ts: ${SKIP_REASON}`);

const ENV = {
  WEBHOOK_ALLOW_PRIVATE_URLS: "true",
  WEBHOOK_TIMEOUT_SECONDS: "1",
  WEBHOOK_RETRY_SCHEDULE: "1,1,1",
};

describe.skipIf(!testDatabaseUrl)(
  `events out across kill -9${testDatabaseUrl ? "" : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    let drop: (() => Promise<void>) | undefined;
    let url: string;
    let db: Db;
    let server: ApiServer | undefined;
    let receiver: Receiver;
    let adminToken: string;
    let secret: string;

    beforeAll(async () => {
      const empty = await createEmptyPostgresDb(testDatabaseUrl!);
      drop = empty.drop;
      url = empty.url;
      receiver = await startReceiver();
      server = await startApiServer({ name: "api", databaseUrl: url, env: ENV });
      db = await createDb({ ...testDbOptions(url), migrate: false, poolSize: 3 });
      const login = await send(server.base, "POST", "/auth", {
        json: { login: SERVER_SECRETS.ADMIN_LOGIN, password: SERVER_SECRETS.ADMIN_PASSWORD },
      });
      adminToken = login.body.accessToken;
      const endpoint = await send(server.base, "POST", "/webhook-endpoints", {
        token: adminToken,
        json: { url: `${receiver.url}/orders`, eventTypes: ["purchase.completed"], description: "crash" },
      });
      expect(endpoint.status, endpoint.text).toBe(201);
      secret = endpoint.body.secret;
    }, 120_000);

    afterAll(async () => {
      await server?.stop();
      await receiver?.close();
      await db?.close();
      await drop?.();
    });

    async function buyer(base: string) {
      const [user] = await createLoadUsers(db.prisma, 1, SERVER_SECRETS.JWT_SECRET);
      const bill = providerId();
      const credit = await send(base, "POST", "/payment/webhook", {
        raw: webhookText(SERVER_SECRETS.PAYMENT_PRIVATE_KEY, {
          tx: providerId(),
          user: user!.numericId,
          bill,
          amount: "100.00",
        }),
      });
      expect(credit.status, credit.text).toBe(200);
      const product = await send(base, "POST", "/products", {
        token: adminToken,
        json: { title: "Crash test", description: "x", price: "10.00" },
      });
      return { user: user!, accountId: credit.body.accountId as string, productId: product.body.id as string };
    }

    it("a purchase committed just before a kill -9 is delivered after the restart", { timeout: 120_000 }, async () => {
      const b = await buyer(server!.base);
      receiver.received.length = 0;
      const buy = await send(server!.base, "POST", "/products/buy", {
        token: b.user.token,
        json: { productId: b.productId, accountId: b.accountId },
      });
      expect(buy.status, buy.text).toBe(200);
      await server!.kill9();
      server = await startApiServer({ name: "api-restarted", databaseUrl: url, env: ENV });
      await receiver.waitFor(1, 60_000);
      const ids = receiver.received.map((r) => r.headers["webhook-id"]);
      const body = new Webhook(secret).verify(
        receiver.received[0]!.body,
        receiver.received[0]!.headers as Record<string, string>,
      );
      expect(body).toMatchObject({ type: "purchase.completed", data: { id: buy.body.purchase.id } });
      expect(new Set(ids).size).toBe(1);
    });

    it(
      "an attempt in flight at the kill is attempted again once its lease ends, with the same webhook-id",
      { timeout: 120_000 },
      async () => {
        const b = await buyer(server!.base);
        receiver.received.length = 0;
        // The receiver holds the first request until the server is gone.
        receiver.answer = (_r, nth) => (nth === 1 ? { status: 200, delayMs: 3000 } : { status: 200 });
        const buy = await send(server!.base, "POST", "/products/buy", {
          token: b.user.token,
          json: { productId: b.productId, accountId: b.accountId },
        });
        expect(buy.status).toBe(200);
        await receiver.waitFor(1, 30_000);
        await server!.kill9();
        const killedAt = Date.now();
        server = await startApiServer({ name: "api-restarted-2", databaseUrl: url, env: ENV });
        await receiver.waitFor(2, 90_000);
        console.log(
          `in-flight attempt redone ${Math.round((Date.now() - killedAt) / 1000)} s after the kill (lease: 2 × timeout + 20 s)`,
        );
        const [first, second] = receiver.received;
        expect(second!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
        const rows = await db.prisma.$queryRawUnsafe<{ status: string; attempts: number }[]>(
          `SELECT status, attempts FROM webhook_endpoint_deliveries WHERE message_id = '${String(first!.headers["webhook-id"])}'`,
        );
        await expect
          .poll(
            async () =>
              (
                await db.prisma.$queryRawUnsafe<{ status: string }[]>(
                  `SELECT status FROM webhook_endpoint_deliveries WHERE message_id = '${String(first!.headers["webhook-id"])}'`,
                )
              )[0]?.status,
          )
          .toBe("delivered");
        expect(rows[0]!.attempts).toBe(2);
      },
    );
  },
);
