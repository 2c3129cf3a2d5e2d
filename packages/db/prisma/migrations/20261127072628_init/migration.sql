-- CreateEnum
CREATE TYPE "ledger_kind" AS ENUM ('credit', 'purchase');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "numeric_id" BIGSERIAL NOT NULL,
    "login" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "is_active" BOOLEAN NOT NULL DEFAULT false,
    "is_admin" BOOLEAN NOT NULL DEFAULT false,
    "token_version" INTEGER NOT NULL DEFAULT 0,
    "activation_token_hash" TEXT,
    "activation_expires_at" TIMESTAMPTZ(3),
    "activated_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "numeric_id" BIGINT NOT NULL,
    "user_id" UUID NOT NULL,
    "balance" DECIMAL(20,2) NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "products" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "price" DECIMAL(20,2) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "products_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_entries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" "ledger_kind" NOT NULL,
    "account_id" UUID NOT NULL,
    "amount" DECIMAL(20,2) NOT NULL,
    "balance_after" DECIMAL(20,2) NOT NULL,
    "transaction_id" BIGINT,
    "payload_hash" TEXT,
    "product_id" UUID,
    "product_title" TEXT,
    "product_price" DECIMAL(20,2),
    "idempotency_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_numeric_id_key" ON "users"("numeric_id");

-- CreateIndex
CREATE UNIQUE INDEX "users_activation_token_hash_key" ON "users"("activation_token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "accounts_numeric_id_key" ON "accounts"("numeric_id");

-- CreateIndex
CREATE INDEX "accounts_user_id_idx" ON "accounts"("user_id");

-- CreateIndex
CREATE INDEX "products_created_at_idx" ON "products"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entries_transaction_id_key" ON "ledger_entries"("transaction_id");

-- CreateIndex
CREATE INDEX "ledger_entries_account_id_created_at_idx" ON "ledger_entries"("account_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entries_account_id_idempotency_key_key" ON "ledger_entries"("account_id", "idempotency_key");

-- AddForeignKey
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: rules Prisma's schema language cannot express. The database enforces them
-- whatever code writes to it.

-- Logins are unique case-insensitively.
CREATE UNIQUE INDEX "users_login_lower_key" ON "users" (lower("login"));

-- Money never goes negative and prices are positive.
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_balance_non_negative" CHECK ("balance" >= 0);
ALTER TABLE "products" ADD CONSTRAINT "products_price_positive" CHECK ("price" > 0);
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_balance_after_non_negative" CHECK ("balance_after" >= 0);

-- A credit names the provider's transaction and its payload; a purchase names what was bought.
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_kind_fields" CHECK (
  ("kind" = 'credit' AND "transaction_id" IS NOT NULL AND "payload_hash" IS NOT NULL AND "product_id" IS NULL)
  OR
  ("kind" = 'purchase' AND "transaction_id" IS NULL AND "product_id" IS NOT NULL
    AND "product_title" IS NOT NULL AND "product_price" IS NOT NULL)
);

-- Provider ids are positive.
ALTER TABLE "users" ADD CONSTRAINT "users_numeric_id_positive" CHECK ("numeric_id" > 0);
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_numeric_id_positive" CHECK ("numeric_id" > 0);
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_transaction_id_positive" CHECK ("transaction_id" IS NULL OR "transaction_id" > 0);
