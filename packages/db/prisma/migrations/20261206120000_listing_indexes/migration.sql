-- Indexes for keyset listings (issue 19): every filter the admin listings offer is an index's leading
-- column followed by the listing's order (time, then the unique seq), so a filter, a time range and a
-- cursor are one index range at any depth, first page or last. They replace the single-column time
-- indexes and the (kind / product, seq) ones, which they cover.
-- At 10,000,000 ledger rows, 1,000,000 users and 2,000,000 webhook calls (npm run bench:scale, 2 vCPU)
-- creating them took: see the figures printed by the bench's build and docs/performance.md.

-- DropIndex
DROP INDEX "ledger_entries_kind_seq_idx";
DROP INDEX "ledger_entries_product_id_seq_idx";
DROP INDEX "ledger_entries_created_at_idx";
DROP INDEX "webhook_deliveries_received_at_idx";
DROP INDEX "audit_log_at_idx";

-- CreateIndex
CREATE INDEX "ledger_entries_created_at_seq_idx" ON "ledger_entries"("created_at", "seq");
CREATE INDEX "ledger_entries_kind_created_at_seq_idx" ON "ledger_entries"("kind", "created_at", "seq");
CREATE INDEX "ledger_entries_product_id_created_at_seq_idx" ON "ledger_entries"("product_id", "created_at", "seq");
CREATE INDEX "users_created_at_numeric_id_idx" ON "users"("created_at", "numeric_id");
CREATE INDEX "webhook_deliveries_received_at_seq_idx" ON "webhook_deliveries"("received_at", "seq");
CREATE INDEX "webhook_deliveries_outcome_received_at_seq_idx" ON "webhook_deliveries"("outcome", "received_at", "seq");
CREATE INDEX "audit_log_at_seq_idx" ON "audit_log"("at", "seq");

-- The users' list sorted by login (lowercased, byte order) with the numeric id as tiebreak: an
-- expression index, which schema.prisma cannot state (migration-only, like users_login_lower_key).
CREATE INDEX "users_login_c_numeric_id_idx" ON "users" ((lower("login") COLLATE "C"), "numeric_id");
