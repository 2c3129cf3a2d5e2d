// The load of the money suites: users, accounts and products, and workers of mixed webhook credits and
// purchases that tally every 2xx answer, so a suite can check that what the API acknowledged is exactly
// what the ledger holds (./invariants.ts).
import { randomBytes, randomInt } from "node:crypto";
import { centsToMoney } from "@shop/contracts";
import type { PrismaClient } from "@shop/db";
import { hashPassword } from "../../src/auth/passwords.ts";
import { signAccessToken } from "../../src/auth/tokens.ts";
import { type Reply, send } from "../support/http.ts";
import { cents } from "../support/money.ts";
import { providerId, webhookText } from "../support/webhook.ts";

/** A fresh provider id (transaction_id or bill_id), unique within this process. */
export const freshProviderId = providerId;

export interface LoadUser {
  id: string;
  numericId: number;
  token: string;
  accounts: { id: string; bill: number }[];
}
export interface LoadProduct {
  id: string;
  price: bigint;
}
export interface World {
  users: LoadUser[];
  products: LoadProduct[];
  paymentKey: string;
  /** An administrator's token: with it the load also refunds purchases and adjusts wallets. */
  adminToken?: string;
}

/** Active users created straight in the database (one bcrypt hash shared: setup speed), with tokens. */
export async function createLoadUsers(prisma: PrismaClient, count: number, jwtSecret: string): Promise<LoadUser[]> {
  const passwordHash = await hashPassword("reliability-password");
  const stem = `rel${process.pid}x${randomBytes(3).toString("hex")}`;
  const rows = await prisma.user.createManyAndReturn({
    data: Array.from({ length: count }, (_, i) => ({
      login: `${stem}u${i}`,
      passwordHash,
      isActive: true,
      activatedAt: new Date(),
    })),
    select: { id: true, numericId: true, tokenVersion: true },
  });
  return rows.map((r) => ({
    id: r.id,
    numericId: Number(r.numericId),
    token: signAccessToken({ userId: r.id, tokenVersion: r.tokenVersion }, jwtSecret, 3600),
    accounts: [],
  }));
}

/** The ways a provider may write an amount of `c` cents: 12, 12.0, 12.5, 12.50 … */
export function amountSpellings(c: bigint): string[] {
  const text = centsToMoney(c); // "12.50"
  const [whole, fraction] = text.split(".") as [string, string];
  if (fraction === "00") return [whole, `${whole}.0`, `${whole}.00`];
  if (fraction.endsWith("0")) return [`${whole}.${fraction[0]}`, text];
  return [text];
}

function pick<T>(items: readonly T[]): T {
  return items[randomInt(items.length)]!;
}

export type UnknownRequest = (
  | { kind: "credit"; tx: number; body: string; conflict: boolean }
  | { kind: "buy"; user: LoadUser; accountId: string; productId: string; key: string | undefined }
  | { kind: "refund"; purchaseId: string; amount: string; key: string }
  | { kind: "adjust"; accountId: string; direction: "credit" | "debit"; amount: string; key: string }
) & {
  /** When the request was sent, and why its outcome is unknown (the network error, or the 5xx). */
  startedAt?: number;
  reason?: string;
};

/** Everything the API answered, keyed so that replays and retries count once. */
export class Tally {
  requests = 0;
  statuses = new Map<number, number>();
  networkErrors = 0;
  inflight = 0;
  /** transaction_id → cents, from every 2xx webhook answer. */
  credits = new Map<number, bigint>();
  /** ledger id → cents, from every 2xx purchase answer. */
  purchases = new Map<string, bigint>();
  /** refund's ledger id → cents, from every 2xx refund answer. */
  refunds = new Map<string, bigint>();
  /** adjustment's ledger id → signed cents (debits negative), from every 2xx adjustment answer. */
  adjustments = new Map<string, bigint>();
  /** Acknowledged purchases (what the operator may refund). */
  purchaseList: { id: string; price: bigint }[] = [];
  creditAnswers = { credited: 0, alreadyProcessed: 0, conflicts: 0 };
  buyAnswers = { ok: 0, replayed: 0, insufficient: 0, changed: 0 };
  operatorAnswers = {
    refunded: 0,
    refundReplayed: 0,
    refundExceeds: 0,
    adjusted: 0,
    adjustReplayed: 0,
    insufficient: 0,
  };
  /** Descriptions of answers no scenario allows (5xx, unexpected 4xx, inconsistent replays). */
  unexpected: string[] = [];
  /** Requests whose answer never came (the server died), or a 5xx where allowed: outcome unknown. */
  unknown: UnknownRequest[] = [];
  /** When each tolerated 5xx was answered (see LoadOptions.allow5xxAsUnknown). */
  serverErrorsAt: number[] = [];
  /** Webhook bodies sent and answered 2xx (for replays). */
  sentWebhooks: { tx: number; body: string; user: number; bill: number }[] = [];
  /** Idempotency keys used, with what they were used for (for replays). */
  keys: { user: LoadUser; accountId: string; productId: string; key: string }[] = [];

  count(status: number) {
    this.requests += 1;
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  get ok2xx() {
    return [...this.statuses].filter(([s]) => s >= 200 && s < 300).reduce((n, [, c]) => n + c, 0);
  }
  get status5xx() {
    return [...this.statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  }

  recordCredit(tx: number, reply: Reply, expectConflict = false): void {
    this.count(reply.status);
    if (reply.status === 200) {
      const amount = cents(String(reply.body?.amount));
      const earlier = this.credits.get(tx);
      if (earlier !== undefined && earlier !== amount) {
        this.unexpected.push(`webhook ${tx}: answered ${amount} cents after ${earlier} cents`);
      }
      this.credits.set(tx, amount);
      if (reply.body?.status === "credited") this.creditAnswers.credited += 1;
      else this.creditAnswers.alreadyProcessed += 1;
      if (expectConflict) this.unexpected.push(`webhook ${tx}: a different payload was accepted: ${reply.text}`);
    } else if (reply.status === 409 && expectConflict) {
      this.creditAnswers.conflicts += 1;
    } else {
      this.unexpected.push(`webhook ${tx}: ${reply.status} ${reply.text.slice(0, 300)}`);
    }
  }

  recordBuy(reply: Reply, key: string | undefined): void {
    this.count(reply.status);
    if (reply.status === 200) {
      const id = String(reply.body?.purchase?.id);
      const amount = cents(String(reply.body?.purchase?.amount));
      if (!this.purchases.has(id)) this.purchaseList.push({ id, price: amount });
      this.purchases.set(id, amount);
      if (reply.body?.replayed === true) {
        this.buyAnswers.replayed += 1;
        if (key === undefined) this.unexpected.push(`purchase without a key answered replayed: ${reply.text}`);
      } else this.buyAnswers.ok += 1;
    } else if (reply.status === 402 && reply.body?.code === "PAYMENT_REQUIRED") {
      this.buyAnswers.insufficient += 1;
    } else if (reply.status === 409 && reply.body?.code === "CONFLICT" && /changed during/.test(reply.body?.message)) {
      // A concurrent credit moved the balance between the refused debit and the read that explains it.
      this.buyAnswers.changed += 1;
    } else {
      this.unexpected.push(`purchase: ${reply.status} ${reply.text.slice(0, 300)}`);
    }
  }

  recordRefund(reply: Reply): void {
    this.count(reply.status);
    if (reply.status === 201) {
      // A replay answers the first answer again (201), marked in the body and the header alike.
      this.refunds.set(String(reply.body?.refund?.id), cents(String(reply.body?.refund?.amount)));
      if (reply.body?.replayed === true) this.operatorAnswers.refundReplayed += 1;
      else this.operatorAnswers.refunded += 1;
      if ((reply.headers.get("idempotent-replayed") === "true") !== (reply.body?.replayed === true)) {
        this.unexpected.push(`refund: replay header and body disagree: ${reply.text}`);
      }
    } else if (reply.status === 409 && reply.body?.appCode === "REFUND_EXCEEDS_PURCHASE") {
      this.operatorAnswers.refundExceeds += 1;
    } else {
      this.unexpected.push(`refund: ${reply.status} ${reply.text.slice(0, 300)}`);
    }
  }

  recordAdjust(reply: Reply): void {
    this.count(reply.status);
    if (reply.status === 201) {
      const tx = reply.body?.adjustment;
      this.adjustments.set(String(tx?.id), (tx?.direction === "in" ? 1n : -1n) * cents(String(tx?.amount)));
      if (reply.body?.replayed === true) this.operatorAnswers.adjustReplayed += 1;
      else this.operatorAnswers.adjusted += 1;
      if ((reply.headers.get("idempotent-replayed") === "true") !== (reply.body?.replayed === true)) {
        this.unexpected.push(`adjustment: replay header and body disagree: ${reply.text}`);
      }
    } else if (reply.status === 402 && reply.body?.appCode === "INSUFFICIENT_FUNDS") {
      this.operatorAnswers.insufficient += 1;
    } else {
      this.unexpected.push(`adjustment: ${reply.status} ${reply.text.slice(0, 300)}`);
    }
  }

  figures() {
    return {
      requests: this.requests,
      ok2xx: this.ok2xx,
      status402: this.statuses.get(402) ?? 0,
      status409: this.statuses.get(409) ?? 0,
      status5xx: this.status5xx,
      statuses: Object.fromEntries([...this.statuses].sort(([a], [b]) => a - b)),
      networkErrors: this.networkErrors,
      credits: this.creditAnswers,
      purchases: this.buyAnswers,
      operator: this.operatorAnswers,
      creditedCents: [...this.credits.values()].reduce((a, b) => a + b, 0n),
      purchasedCents: [...this.purchases.values()].reduce((a, b) => a + b, 0n),
      refundedCents: [...this.refunds.values()].reduce((a, b) => a + b, 0n),
      adjustedCents: [...this.adjustments.values()].reduce((a, b) => a + b, 0n),
    };
  }
}

export interface LoadOptions {
  /** Base URLs of the servers: each request goes to a random one. */
  bases: string[];
  world: World;
  tally: Tally;
  concurrency: number;
  durationMs: number;
  /** Send an Idempotency-Key with every purchase (else with about a third). */
  alwaysKey?: boolean;
  /** Set `stopped` to end the load early (the workers finish their current request). */
  control?: { stopped: boolean };
  /** A network error ends the load (the server died) instead of counting as unexpected. */
  expectCrash?: boolean;
  /** A 5xx makes the request's outcome unknown (a fault is being injected) instead of unexpected. */
  allow5xxAsUnknown?: boolean;
}

async function creditOnce(opts: LoadOptions, base: string, user: LoadUser, bill: number, amount: bigint) {
  const { world, tally } = opts;
  const tx = freshProviderId();
  const body = webhookText(world.paymentKey, {
    tx,
    user: user.numericId,
    bill,
    amount: pick(amountSpellings(amount)),
    amountAsString: randomInt(4) === 0,
  });
  const reply = await guarded(opts, { kind: "credit", tx, body, conflict: false }, () =>
    send(base, "POST", "/payment/webhook", { raw: body }),
  );
  if (!reply) return;
  tally.recordCredit(tx, reply);
  if (reply.status === 200) {
    tally.sentWebhooks.push({ tx, body, user: user.numericId, bill });
    if (!user.accounts.some((a) => a.bill === bill)) user.accounts.push({ id: String(reply.body.accountId), bill });
  }
}

async function guarded(
  opts: LoadOptions,
  request: UnknownRequest,
  run: () => Promise<Reply>,
): Promise<Reply | undefined> {
  opts.tally.inflight += 1;
  request.startedAt = Date.now();
  try {
    const reply = await run();
    if (reply.status >= 500 && opts.allow5xxAsUnknown) {
      opts.tally.count(reply.status);
      opts.tally.serverErrorsAt.push(Date.now());
      opts.tally.unknown.push({ ...request, reason: `${reply.status} ${reply.text.slice(0, 200)}` });
      return undefined;
    }
    return reply;
  } catch (error) {
    opts.tally.networkErrors += 1;
    opts.tally.unknown.push({ ...request, reason: (error as Error).message });
    if (opts.expectCrash) {
      if (opts.control) opts.control.stopped = true;
    } else {
      opts.tally.unexpected.push(`${request.kind}: no answer: ${(error as Error).message}`);
    }
    return undefined;
  } finally {
    opts.tally.inflight -= 1;
  }
}

/** Sends (or resends: the key makes it safe) an operator's refund or adjustment and tallies the answer. */
export async function sendOperator(
  opts: Pick<LoadOptions, "world" | "tally"> & Partial<LoadOptions>,
  base: string,
  request: Extract<UnknownRequest, { kind: "refund" | "adjust" }>,
): Promise<void> {
  const token = opts.world.adminToken!;
  const headers = { "idempotency-key": request.key };
  const reply = await guarded(opts as LoadOptions, request, () =>
    request.kind === "refund"
      ? send(base, "POST", `/transactions/${request.purchaseId}/refund`, {
          token,
          headers,
          json: { amount: request.amount, reason: "reliability refund" },
        })
      : send(base, "POST", `/accounts/${request.accountId}/adjustments`, {
          token,
          headers,
          json: { direction: request.direction, amount: request.amount, reason: "reliability adjustment" },
        }),
  );
  if (!reply) return;
  if (request.kind === "refund") opts.tally.recordRefund(reply);
  else opts.tally.recordAdjust(reply);
}

/** An operator's move: a partial refund of an acknowledged purchase, or a small credit / debit adjustment. */
async function operatorOperation(opts: LoadOptions, base: string, user: LoadUser): Promise<void> {
  const key = `op-${randomBytes(9).toString("base64url")}`;
  const purchase = opts.tally.purchaseList.length > 0 && randomInt(2) === 0 ? pick(opts.tally.purchaseList) : null;
  if (purchase) {
    const amount = centsToMoney(BigInt(randomInt(1, Number(purchase.price) + 1)));
    await sendOperator(opts, base, { kind: "refund", purchaseId: purchase.id, amount, key });
    return;
  }
  const account = pick(user.accounts);
  const direction = randomInt(2) === 0 ? "credit" : "debit";
  const amount = centsToMoney(BigInt(randomInt(1, 2001)));
  await sendOperator(opts, base, { kind: "adjust", accountId: account.id, direction, amount, key });
}

/**
 * One mixed operation: credit (new or replayed webhook), purchase (with or without key, or a replay),
 * and with an admin token in the world, refunds and adjustments.
 */
async function oneOperation(opts: LoadOptions): Promise<void> {
  const { world, tally } = opts;
  const base = pick(opts.bases);
  const user = pick(world.users);
  const roll = randomInt(100);
  if (world.adminToken && roll >= 90 && user.accounts.length > 0) {
    await operatorOperation(opts, base, user);
    return;
  }
  if (roll < 33 || user.accounts.length === 0) {
    // A credit of 0.01 … 40.00 to one of the user's accounts, now and then to a new bill.
    const bill = user.accounts.length === 0 || randomInt(40) === 0 ? freshProviderId() : pick(user.accounts).bill;
    await creditOnce(opts, base, user, bill, BigInt(randomInt(1, 4001)));
    return;
  }
  if (roll < 38 && tally.sentWebhooks.length > 0) {
    // The provider retries a webhook it already sent: same payload → the recorded outcome, no credit;
    // now and then the same transaction_id with another amount → 409.
    const earlier = pick(tally.sentWebhooks);
    const conflict = randomInt(4) === 0;
    const body = conflict
      ? webhookText(world.paymentKey, { tx: earlier.tx, user: earlier.user, bill: earlier.bill, amount: "999.99" })
      : earlier.body;
    const reply = await guarded(opts, { kind: "credit", tx: earlier.tx, body, conflict }, () =>
      send(base, "POST", "/payment/webhook", { raw: body }),
    );
    if (reply) tally.recordCredit(earlier.tx, reply, conflict);
    return;
  }
  if (roll < 43 && tally.keys.length > 0) {
    // A client retries a purchase with its Idempotency-Key.
    const k = pick(tally.keys);
    const reply = await guarded(
      opts,
      { kind: "buy", user: k.user, accountId: k.accountId, productId: k.productId, key: k.key },
      () =>
        send(base, "POST", "/products/buy", {
          token: k.user.token,
          json: { productId: k.productId, accountId: k.accountId },
          headers: { "idempotency-key": k.key },
        }),
    );
    if (reply) tally.recordBuy(reply, k.key);
    return;
  }
  const account = pick(user.accounts);
  const product = pick(world.products);
  const key = opts.alwaysKey || randomInt(3) === 0 ? `k-${randomBytes(9).toString("base64url")}` : undefined;
  if (key) tally.keys.push({ user, accountId: account.id, productId: product.id, key });
  const reply = await guarded(opts, { kind: "buy", user, accountId: account.id, productId: product.id, key }, () =>
    send(base, "POST", "/products/buy", {
      token: user.token,
      json: { productId: product.id, accountId: account.id },
      headers: key ? { "idempotency-key": key } : undefined,
    }),
  );
  if (reply) tally.recordBuy(reply, key);
}

/** Runs `concurrency` workers of mixed operations until the time is up (or `control.stopped`). */
export async function runLoad(opts: LoadOptions): Promise<void> {
  const deadline = Date.now() + opts.durationMs;
  const control = opts.control ?? { stopped: false };
  const options = { ...opts, control };
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (!control.stopped && Date.now() < deadline) await oneOperation(options);
    }),
  );
}

/** Gives every user 1–2 accounts, each opened by a first credit (through the webhook, tallied). */
export async function fundAccounts(options: Omit<LoadOptions, "concurrency" | "durationMs">): Promise<void> {
  const opts: LoadOptions = { ...options, concurrency: 10, durationMs: 0 };
  const jobs = opts.world.users.flatMap((user) =>
    Array.from(
      { length: 1 + randomInt(2) },
      () => () => creditOnce(opts, pick(opts.bases), user, freshProviderId(), BigInt(randomInt(100, 3001))),
    ),
  );
  for (let i = 0; i < jobs.length; i += 10) await Promise.all(jobs.slice(i, i + 10).map((job) => job()));
}

/** Products at prices that leave odd cents behind. */
export async function createLoadProducts(base: string, adminToken: string): Promise<LoadProduct[]> {
  const products: LoadProduct[] = [];
  for (const price of ["0.99", "3.33", "7.00", "12.35", "25.00", "49.99"]) {
    const res = await send(base, "POST", "/products", {
      token: adminToken,
      json: { title: `Reliability ${price}`, description: "load", price },
    });
    if (res.status !== 201) throw new Error(`create product: ${res.status} ${res.text}`);
    products.push({ id: String(res.body.id), price: cents(price) });
  }
  return products;
}
