-- Indexes for keyset listings (issue 19): every filter the admin listings offer is an index's leading
-- column followed by the listing's order (time, then the unique seq), so a filter, a time range and a
-- cursor are one index range at any depth, first page or last. They replace the single-column time
-- indexes and the (kind / product, seq) ones, which they cover.
-- Creating them at 10,000,000 ledger rows, 1,000,000 users and 2,000,000 webhook calls (npm run bench:scale's
-- build, 2 shared vCPUs, PostgreSQL 15, maintenance_work_mem 256MB): ledger (created_at, seq) 9.5 s, (kind,
-- created_at, seq) 13.1 s, (product_id, created_at, seq) 18.7 s; users (created_at, numeric_id) 0.8 s, login
-- 1.3 s; webhooks (received_at, seq) 2.0 s, (outcome, received_at, seq) 3.9 s; audit 0.1 s — about 50 s in
-- all, during which CREATE INDEX blocks writes to the table: on a live shop of that size run them by hand
-- first as CREATE INDEX CONCURRENTLY (IF NOT EXISTS: this migration then only drops the indexes they replace).

-- DropIndex
DROP INDEX "ledger_entries_kind_seq_idx";
DROP INDEX "ledger_entries_product_id_seq_idx";
DROP INDEX "ledger_entries_created_at_idx";
DROP INDEX "webhook_deliveries_received_at_idx";
DROP INDEX "audit_log_at_idx";

-- CreateIndex
CREATE INDEX IF NOT EXISTS "ledger_entries_created_at_seq_idx" ON "ledger_entries"("created_at", "seq");
CREATE INDEX IF NOT EXISTS "ledger_entries_kind_created_at_seq_idx" ON "ledger_entries"("kind", "created_at", "seq");
CREATE INDEX IF NOT EXISTS "ledger_entries_product_id_created_at_seq_idx" ON "ledger_entries"("product_id", "created_at", "seq");
CREATE INDEX IF NOT EXISTS "users_created_at_numeric_id_idx" ON "users"("created_at", "numeric_id");
CREATE INDEX IF NOT EXISTS "webhook_deliveries_received_at_seq_idx" ON "webhook_deliveries"("received_at", "seq");
CREATE INDEX IF NOT EXISTS "webhook_deliveries_outcome_received_at_seq_idx" ON "webhook_deliveries"("outcome", "received_at", "seq");
CREATE INDEX IF NOT EXISTS "audit_log_at_seq_idx" ON "audit_log"("at", "seq");

-- The users' list sorted by login (lowercased, byte order) with the numeric id as tiebreak: an
-- expression index, which schema.prisma cannot state (migration-only, like users_login_lower_key).
CREATE INDEX IF NOT EXISTS "users_login_c_numeric_id_idx" ON "users" ((lower("login") COLLATE "C"), "numeric_id");
