-- The admin's users search (GET /users?search=…: login ILIKE '%text%') by index: a trigram GIN index on
-- login answers a substring of 3 or more characters (case-insensitively: trigrams are lowercased) without
-- walking the users. pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it;
-- PGlite loads it from @electric-sql/pglite/contrib/pg_trgm (packages/db/src/pglite-extensions.ts).
-- Plain CREATE INDEX (not CONCURRENTLY: migrations run in a transaction): it locks users against writes
-- while it builds (2.1 s for 1 M users on this machine, docs/scale.md).
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateIndex
CREATE INDEX "users_login_trgm_idx" ON "users" USING GIN ("login" gin_trgm_ops);
