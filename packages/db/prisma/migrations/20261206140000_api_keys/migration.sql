-- API keys for server-to-server clients (issue 21). The key is shown once; only its sha256 is kept.
-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "api_keys_created_at_idx" ON "api_keys"("created_at");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written (Prisma cannot express these).
-- Scopes: a non-empty set drawn from read, write, money, stored in that order (so each at most once; a
-- CHECK cannot hold a subquery, so the seven sets are listed).
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_scopes" CHECK ("scopes" IS NOT NULL AND "scopes"::text IN (
  '{read}', '{write}', '{money}', '{read,write}', '{read,money}', '{write,money}', '{read,write,money}'
));
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_name" CHECK (char_length("name") BETWEEN 1 AND 100);
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_hash" CHECK ("key_hash" ~ '^[0-9a-f]{64}$');

-- A write made with a key is audited with the key as its actor (actor_id = the key's id, actor_login =
-- its name).
ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_actor_type";
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_type" CHECK ("actor_type" IN ('user', 'cli', 'system', 'api_key'));
