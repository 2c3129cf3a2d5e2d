-- DropIndex
DROP INDEX "ledger_entries_account_id_created_at_idx";

-- AlterTable
ALTER TABLE "ledger_entries" ADD COLUMN     "seq" BIGSERIAL NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entries_seq_key" ON "ledger_entries"("seq");

-- CreateIndex
CREATE INDEX "ledger_entries_account_id_seq_idx" ON "ledger_entries"("account_id", "seq" DESC);
