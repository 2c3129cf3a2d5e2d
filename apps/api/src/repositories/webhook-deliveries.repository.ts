// The webhook inbox: every call of POST /payment/webhook and what it led to. A credit's record is
// written by the credit's own statement (accounts.repository creditStatement); everything else is
// recorded here afterwards, best-effort, in rings of RING_SIZE slots, one ring per class of refusal
// (RINGS): a refusal takes the slot `ring * RING_SIZE + seq % RING_SIZE` of its class's ring and
// replaces whatever refusal of the same class held it. So a flood keeps at most RING_SIZE rows per
// class (the oldest of the class go first), never pushes out a record of another class (10,000
// invalid bodies cannot erase a forged signature), and never touches the credits' rows or locks.
import type { TWebhookDelivery, TWebhookOutcome } from "@shop/contracts";
import { statement } from "@shop/db";
import { iso, type KeysetListing, keysetPage, type PageRequest, perDb, when } from "./shared.ts";

/** How many records of calls that credited nothing are kept, per class (RINGS). */
export const RING_SIZE = 10_000;

/**
 * The classes of refusals, each with its own ring: bodies refused before any signature could be checked,
 * forged signatures, calls refused with 429 (one per address per window), and correctly signed calls
 * that credited nothing (the provider's own: unknown user, bill of another user, conflicts, replays,
 * server errors).
 */
export const RINGS = { invalidBody: 0, invalidSignature: 1, rateLimited: 2, signed: 3 } as const;
export type Ring = keyof typeof RINGS;
/** The body is kept up to this many bytes of UTF-8. */
export const BODY_LIMIT_BYTES = 4096;

const deliveryJson = `json_build_object(
     'id', w.id, 'receivedAt', ${iso("w.received_at")}, 'sourceIp', w.source_ip, 'outcome', w.outcome,
     'httpStatus', w.http_status, 'transactionId', w.transaction_id, 'userId', w.user_id, 'billId', w.bill_id,
     'body', w.body, 'truncated', w.truncated, 'ledgerEntryId', w.ledger_entry_id)`;

/**
 * A record of a call that credited nothing: $1 source, $2 outcome, $3 HTTP status, $4 transaction_id,
 * $5 user_id, $6 bill_id, $7 body, $8 truncated, $9 the ring's size, $10 the ring (RINGS).
 */
const recordStatement = statement<{ id: string }>(
  "webhooks.record",
  `WITH n AS (SELECT nextval(pg_get_serial_sequence('webhook_deliveries', 'seq')) AS seq)
   INSERT INTO webhook_deliveries AS w
     (seq, slot, source_ip, outcome, http_status, transaction_id, user_id, bill_id, body, truncated, received_at)
   SELECT n.seq, ($10::int4 * $9::int4 + n.seq % $9::int4)::int4, $1::text, $2::text, $3::int4, $4::int8, $5::int8, $6::int8, $7::text,
          $8::bool, now()
     FROM n
   ON CONFLICT (slot) DO UPDATE
      SET id = gen_random_uuid(), seq = EXCLUDED.seq, source_ip = EXCLUDED.source_ip, outcome = EXCLUDED.outcome,
          http_status = EXCLUDED.http_status, transaction_id = EXCLUDED.transaction_id,
          user_id = EXCLUDED.user_id, bill_id = EXCLUDED.bill_id, body = EXCLUDED.body,
          truncated = EXCLUDED.truncated, received_at = EXCLUDED.received_at
   RETURNING w.id::text`,
);

/**
 * The inbox, newest first: by arrival time, ties by seq (a refusal's slot takes a new seq when reused).
 * The (received_at, seq) and (outcome, received_at, seq) indexes serve it at any depth.
 */
const DELIVERIES: KeysetListing<"receivedAt"> = {
  name: "webhooks",
  select: `${deliveryJson} AS delivery`,
  from: "webhook_deliveries w",
  rowId: "w.id",
  sorts: {
    receivedAt: [
      { expr: "w.received_at", cast: "timestamptz" },
      { expr: "w.seq", cast: "int8" },
    ],
  },
};

const byIdStatement = statement<{ delivery: TWebhookDelivery }>(
  "webhooks.by-id",
  `SELECT ${deliveryJson} AS delivery FROM webhook_deliveries w WHERE w.id = $1::uuid`,
);

/** The body as stored: at most BODY_LIMIT_BYTES of UTF-8, cut between characters. */
export function storedBody(text: string | undefined): { body: string; truncated: boolean } {
  const full = text ?? "";
  if (Buffer.byteLength(full, "utf8") <= BODY_LIMIT_BYTES) return { body: full, truncated: false };
  let bytes = 0;
  let end = 0;
  for (const ch of full) {
    const size = Buffer.byteLength(ch, "utf8");
    if (bytes + size > BODY_LIMIT_BYTES) break;
    bytes += size;
    end += ch.length;
  }
  return { body: full.slice(0, end), truncated: true };
}

const num = (n: number | null) => (n === null ? null : String(n));

export const webhookDeliveriesRepository = perDb(({ sql }) => ({
  async record(r: {
    ring: Ring;
    sourceIp: string;
    outcome: Exclude<TWebhookOutcome, "credited">;
    httpStatus: number;
    transactionId: number | null;
    userId: number | null;
    billId: number | null;
    body: string;
    truncated: boolean;
  }) {
    const [row] = await sql.query(recordStatement, [
      r.sourceIp,
      r.outcome,
      r.httpStatus,
      num(r.transactionId),
      num(r.userId),
      num(r.billId),
      r.body,
      r.truncated,
      RING_SIZE,
      RINGS[r.ring],
    ]);
    return row!.id;
  },

  async list(
    f: {
      outcome?: string | undefined;
      transactionId?: number | undefined;
      userId?: number | undefined;
      from?: string | undefined;
      to?: string | undefined;
    },
    page: PageRequest,
  ) {
    const { rows, ...rest } = await keysetPage<{ delivery: TWebhookDelivery }, "receivedAt">(
      sql,
      DELIVERIES,
      [
        when("outcome", f.outcome, (p) => `w.outcome = ${p}::text`, { leading: "w.outcome" }),
        when("transaction", num(f.transactionId ?? null), (p) => `w.transaction_id = ${p}::int8`),
        when("user", num(f.userId ?? null), (p) => `w.user_id = ${p}::int8`),
        when("from", f.from, (p) => `w.received_at >= ${p}::timestamptz`),
        when("to", f.to, (p) => `w.received_at <= ${p}::timestamptz`),
      ],
      "receivedAt",
      "desc",
      page,
    );
    return { items: rows.map((r) => r.delivery), ...rest };
  },

  async byId(id: string): Promise<TWebhookDelivery | null> {
    const [row] = await sql.query(byIdStatement, [id]);
    return row?.delivery ?? null;
  },
}));
