-- Two-phase purchases (issue 21): holds on accounts, captured, voided or expired.
-- AlterTable
ALTER TABLE "accounts" ADD COLUMN     "held" DECIMAL(20,2) NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "authorizations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "account_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "product_title" TEXT NOT NULL,
    "product_price" DECIMAL(20,2) NOT NULL,
    "amount" DECIMAL(20,2) NOT NULL,
    "status" TEXT NOT NULL,
    "captured_amount" DECIMAL(20,2),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "authorizations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "authorizations_account_id_created_at_idx" ON "authorizations"("account_id", "created_at");

-- AddForeignKey
ALTER TABLE "authorizations" ADD CONSTRAINT "authorizations_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "authorizations" ADD CONSTRAINT "authorizations_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written (Prisma cannot express these).
-- The database refuses a negative hold and a hold above the balance. `held` counts every hold in status
-- 'authorized', expired or not: a stored column cannot expire by itself, so the moves keep it as an upper
-- bound of what is really held (an expired hold is released by the next move on its account) and every
-- read and check uses the sum of the UNEXPIRED holds (apps/api/src/repositories/ledger.repository.ts).
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_held_non_negative" CHECK ("held" >= 0);
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_held_within_balance" CHECK ("held" <= "balance");

ALTER TABLE "authorizations" ADD CONSTRAINT "authorizations_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "authorizations" ADD CONSTRAINT "authorizations_status"
  CHECK ("status" IN ('authorized', 'captured', 'voided', 'expired'));
ALTER TABLE "authorizations" ADD CONSTRAINT "authorizations_captured_amount" CHECK (
  ("status" = 'captured') = ("captured_amount" IS NOT NULL)
  AND ("captured_amount" IS NULL OR ("captured_amount" > 0 AND "captured_amount" <= "amount"))
);
ALTER TABLE "authorizations" ADD CONSTRAINT "authorizations_ended"
  CHECK (("status" = 'authorized') = ("ended_at" IS NULL));
ALTER TABLE "authorizations" ADD CONSTRAINT "authorizations_expiry" CHECK ("expires_at" > "created_at");

-- The holds an account still has: what each move sums with the account locked.
CREATE INDEX "authorizations_live_idx" ON "authorizations" ("account_id", "expires_at") WHERE "status" = 'authorized';
