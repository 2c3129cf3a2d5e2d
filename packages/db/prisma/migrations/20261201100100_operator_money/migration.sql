-- CreateEnum
CREATE TYPE "ledger_direction" AS ENUM ('in', 'out');

-- CreateEnum
CREATE TYPE "ledger_counterparty" AS ENUM ('provider', 'shop', 'adjustments');

-- AlterTable
-- (direction and counterparty are added nullable, backfilled below, then made NOT NULL)
ALTER TABLE "ledger_entries" ADD COLUMN     "counterparty" "ledger_counterparty",
ADD COLUMN     "direction" "ledger_direction",
ADD COLUMN     "reason" TEXT,
ADD COLUMN     "refund_of" UUID,
ADD COLUMN     "refunded_amount" DECIMAL(20,2) NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "seq" BIGSERIAL NOT NULL,
    "slot" INTEGER,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source_ip" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "http_status" INTEGER NOT NULL,
    "transaction_id" BIGINT,
    "user_id" BIGINT,
    "bill_id" BIGINT,
    "body" TEXT NOT NULL,
    "truncated" BOOLEAN NOT NULL,
    "ledger_entry_id" UUID,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "seq" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_type" TEXT NOT NULL,
    "actor_id" UUID,
    "actor_login" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "request_id" TEXT,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_seq_key" ON "webhook_deliveries"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_slot_key" ON "webhook_deliveries"("slot");

-- CreateIndex
CREATE INDEX "webhook_deliveries_received_at_idx" ON "webhook_deliveries"("received_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_transaction_id_idx" ON "webhook_deliveries"("transaction_id");

-- CreateIndex
CREATE INDEX "webhook_deliveries_user_id_idx" ON "webhook_deliveries"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "audit_log_seq_key" ON "audit_log"("seq");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "audit_log_actor_id_idx" ON "audit_log"("actor_id");

-- CreateIndex
CREATE INDEX "audit_log_target_id_idx" ON "audit_log"("target_id");

-- CreateIndex
CREATE INDEX "ledger_entries_kind_seq_idx" ON "ledger_entries"("kind", "seq" DESC);

-- CreateIndex
CREATE INDEX "ledger_entries_product_id_seq_idx" ON "ledger_entries"("product_id", "seq" DESC);

-- CreateIndex
CREATE INDEX "ledger_entries_refund_of_idx" ON "ledger_entries"("refund_of");

-- CreateIndex
CREATE INDEX "ledger_entries_created_at_idx" ON "ledger_entries"("created_at");

-- AddForeignKey
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_refund_of_fkey" FOREIGN KEY ("refund_of") REFERENCES "ledger_entries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_ledger_entry_id_fkey" FOREIGN KEY ("ledger_entry_id") REFERENCES "ledger_entries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: the backfill and the rules Prisma's schema language cannot express.

-- Existing entries: credits came in from the provider, purchases went out to the shop.
UPDATE "ledger_entries" SET "direction" = 'in', "counterparty" = 'provider' WHERE "kind" = 'credit';
UPDATE "ledger_entries" SET "direction" = 'out', "counterparty" = 'shop' WHERE "kind" = 'purchase';
ALTER TABLE "ledger_entries" ALTER COLUMN "direction" SET NOT NULL, ALTER COLUMN "counterparty" SET NOT NULL;

-- What each kind carries. A refund gives back (part of) one purchase, to the purchase's account, and keeps
-- its product snapshot; an adjustment is a correction with a reason, either way.
ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_kind_fields";
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_kind_fields" CHECK (
  ("kind" = 'credit' AND "direction" = 'in' AND "counterparty" = 'provider'
    AND "transaction_id" IS NOT NULL AND "payload_hash" IS NOT NULL AND "product_id" IS NULL
    AND "refund_of" IS NULL AND "reason" IS NULL)
  OR
  ("kind" = 'purchase' AND "direction" = 'out' AND "counterparty" = 'shop'
    AND "transaction_id" IS NULL AND "product_id" IS NOT NULL
    AND "product_title" IS NOT NULL AND "product_price" IS NOT NULL AND "refund_of" IS NULL AND "reason" IS NULL)
  OR
  ("kind" = 'refund' AND "direction" = 'in' AND "counterparty" = 'shop'
    AND "transaction_id" IS NULL AND "refund_of" IS NOT NULL AND "product_id" IS NOT NULL AND "reason" IS NOT NULL)
  OR
  ("kind" = 'adjustment' AND "counterparty" = 'adjustments'
    AND "transaction_id" IS NULL AND "product_id" IS NULL AND "refund_of" IS NULL AND "reason" IS NOT NULL)
);
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_reason_length"
  CHECK ("reason" IS NULL OR char_length("reason") BETWEEN 3 AND 500);
-- The refunds of a purchase never sum above its price (the refund statement keeps this counter).
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_refunded_amount_range"
  CHECK ("refunded_amount" >= 0 AND "refunded_amount" <= "amount" AND ("kind" = 'purchase' OR "refunded_amount" = 0));

-- The ledger is never edited: no row is deleted, and the only column that changes is a purchase's
-- refunded_amount (raised by its refunds).
CREATE FUNCTION "ledger_entries_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND (to_jsonb(NEW) - 'refunded_amount') = (to_jsonb(OLD) - 'refunded_amount')
     AND NEW."refunded_amount" >= OLD."refunded_amount" THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'ledger_entries is append-only (% refused)', TG_OP USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER "ledger_entries_append_only" BEFORE UPDATE OR DELETE ON "ledger_entries"
  FOR EACH ROW EXECUTE FUNCTION "ledger_entries_guard"();
CREATE TRIGGER "ledger_entries_no_truncate" BEFORE TRUNCATE ON "ledger_entries"
  FOR EACH STATEMENT EXECUTE FUNCTION "ledger_entries_guard"();

-- Webhook deliveries: a credit's record points at its ledger row and is kept; refusals live in the ring.
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_outcome_known" CHECK ("outcome" IN (
  'credited', 'already_processed', 'invalid_signature', 'invalid_body', 'unknown_user', 'bill_of_other_user',
  'transaction_conflict', 'rate_limited', 'server_error'));
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_credit_kept" CHECK (
  ("outcome" = 'credited') = ("ledger_entry_id" IS NOT NULL) AND ("outcome" = 'credited') = ("slot" IS NULL));
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_body_size" CHECK (octet_length("body") <= 4096);

-- The audit log is append-only: the database itself refuses UPDATE, DELETE and TRUNCATE.
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_type" CHECK ("actor_type" IN ('user', 'cli', 'system'));
CREATE FUNCTION "audit_log_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_refuse_change"();
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_refuse_change"();
