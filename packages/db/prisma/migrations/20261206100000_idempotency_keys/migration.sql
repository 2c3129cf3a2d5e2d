-- CreateTable
-- The Idempotency-Key of a money move (purchase, refund, adjustment): claimed by the move's own
-- transaction before its statement runs, answered with the move's answer in the same commit. A second
-- call with the key waits on the primary key for that commit, then replays the answer (or, if the first
-- rolled back, runs as a first call). status and body are NULL only inside the claiming transaction.
CREATE TABLE "idempotency_keys" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "status" INTEGER,
    "body" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("scope","key")
);

-- CreateIndex
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys"("created_at");
