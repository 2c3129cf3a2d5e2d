-- Reports that do not grow with history (issue 19). A roll-up job (apps/api/src/repositories/
-- rollups.repository.ts) keeps, outside the purchase path (no statement of a purchase touches these):
--   ledger_daily   one row per closed UTC day, kind, direction and product (the nil UUID for none);
--   users_daily    new users per closed day;
--   account_checks each account's stored balance and ledger sum as of the watermark report_state.ledger_seq;
--   user_balances  each user's total balance as of the watermark (the users' list sorted by balance);
--   report_state   one row: the last closed day rolled up, the watermark, the running totals.
-- Reports read these plus the live ledger after them (today, and the rows after the watermark).

-- CreateTable
CREATE TABLE "ledger_daily" (
    "day" DATE NOT NULL,
    "kind" "ledger_kind" NOT NULL,
    "direction" "ledger_direction" NOT NULL,
    "product_id" UUID NOT NULL,
    "count" BIGINT NOT NULL,
    "amount" DECIMAL(20,2) NOT NULL,

    CONSTRAINT "ledger_daily_pkey" PRIMARY KEY ("day","kind","direction","product_id")
);

-- CreateTable
CREATE TABLE "users_daily" (
    "day" DATE NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "users_daily_pkey" PRIMARY KEY ("day")
);

-- CreateTable
CREATE TABLE "account_checks" (
    "account_id" UUID NOT NULL,
    "balance" DECIMAL(20,2) NOT NULL,
    "ledger" DECIMAL(20,2) NOT NULL,

    CONSTRAINT "account_checks_pkey" PRIMARY KEY ("account_id")
);

-- CreateTable
CREATE TABLE "user_balances" (
    "user_id" UUID NOT NULL,
    "numeric_id" BIGINT NOT NULL,
    "total" DECIMAL(20,2) NOT NULL,

    CONSTRAINT "user_balances_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "report_state" (
    "id" INTEGER NOT NULL,
    "rolled_through" DATE,
    "ledger_seq" BIGINT NOT NULL DEFAULT 0,
    "wallets_total" DECIMAL(20,2) NOT NULL DEFAULT 0,
    "credits" DECIMAL(20,2) NOT NULL DEFAULT 0,
    "sales" DECIMAL(20,2) NOT NULL DEFAULT 0,
    "refunds" DECIMAL(20,2) NOT NULL DEFAULT 0,
    "adjustments_in" DECIMAL(20,2) NOT NULL DEFAULT 0,
    "adjustments_out" DECIMAL(20,2) NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "report_state_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "user_balances_total_numeric_id_idx" ON "user_balances"("total", "numeric_id");

-- The accounts whose last check found a difference (a handful, normally none).
CREATE INDEX "account_checks_mismatch_idx" ON "account_checks" ("account_id") WHERE "balance" <> "ledger";

-- Counting users by status without reading every user: the inactive ones (pending or disabled) are few.
CREATE INDEX "users_inactive_idx" ON "users" ("numeric_id") WHERE NOT "is_active";

ALTER TABLE "report_state" ADD CONSTRAINT "report_state_one_row" CHECK ("id" = 1);
INSERT INTO "report_state" ("id") VALUES (1);

-- Every user has a row in user_balances (0 until the job sums their accounts), so the list sorted by
-- balance is one index walk: existing users here, new ones by this trigger (registration, not purchases).
INSERT INTO "user_balances" ("user_id", "numeric_id", "total") SELECT "id", "numeric_id", 0 FROM "users";
CREATE FUNCTION "user_balances_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "user_balances" ("user_id", "numeric_id", "total") VALUES (NEW."id", NEW."numeric_id", 0)
  ON CONFLICT ("user_id") DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER "user_balances_add" AFTER INSERT ON "users" FOR EACH ROW EXECUTE FUNCTION "user_balances_add"();
-- A user removed (an expired registration) leaves the list too.
ALTER TABLE "user_balances" ADD CONSTRAINT "user_balances_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
