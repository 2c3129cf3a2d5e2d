-- Statements and the posted balance at an instant (issue 21) read "the last entry of an account at or
-- before a time" and "an account's entries between two times": both are a range of this index (an
-- account's created_at order is its seq order: both are taken after the account's row lock; seq breaks
-- ties within a millisecond). On a large ledger, build it beforehand with CREATE INDEX CONCURRENTLY under
-- this name: this migration then finds it and does nothing.
-- CreateIndex
CREATE INDEX IF NOT EXISTS "ledger_entries_account_id_created_at_seq_idx" ON "ledger_entries"("account_id", "created_at", "seq");
