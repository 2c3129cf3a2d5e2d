-- /stats over a year without summing a year of day-by-product rows (issue 19). Two more roll-ups, kept
-- by the same job in the same statement as ledger_daily (apps/api/src/repositories/rollups.repository.ts):
--   ledger_daily_totals  one row per closed UTC day, kind and direction (all products together): the
--                        totals and the daily series of a range read at most 366 × a few rows;
--   product_running      each product's running totals through a closed day (purchases counted, net
--                        revenue = purchases − refunds), a row for each day the product moved: the
--                        range's figure for a product is its row at the range's end minus its row before
--                        the range's start, two index look-ups a product whatever the range.
-- Filled here from ledger_daily. Timed on the bench's year (10 M ledger rows, 182,865 ledger_daily rows,
-- 1 M users): the day totals 67 ms, the running totals 370 ms, the users' count 67 ms, the partial index
-- users_pending_idx 72–352 ms; no table is rewritten (fillfactor applies to new pages). The reset of the
-- account checks at the end makes the job's first run one pass over the ledger: 60 s at 10 M rows.

-- CreateTable
CREATE TABLE "ledger_daily_totals" (
    "day" DATE NOT NULL,
    "kind" "ledger_kind" NOT NULL,
    "direction" "ledger_direction" NOT NULL,
    "count" BIGINT NOT NULL,
    "amount" DECIMAL(20,2) NOT NULL,

    CONSTRAINT "ledger_daily_totals_pkey" PRIMARY KEY ("day","kind","direction")
);

-- CreateTable
CREATE TABLE "product_running" (
    "product_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "count" BIGINT NOT NULL,
    "net" DECIMAL(20,2) NOT NULL,

    CONSTRAINT "product_running_pkey" PRIMARY KEY ("product_id","day")
);

INSERT INTO "ledger_daily_totals" ("day", "kind", "direction", "count", "amount")
SELECT "day", "kind", "direction", sum("count"), sum("amount") FROM "ledger_daily" GROUP BY 1, 2, 3;

INSERT INTO "product_running" ("product_id", "day", "count", "net")
SELECT "product_id", "day",
       sum("n") OVER (PARTITION BY "product_id" ORDER BY "day"),
       sum("net") OVER (PARTITION BY "product_id" ORDER BY "day")
  FROM (SELECT "product_id", "day",
               COALESCE(sum("count") FILTER (WHERE "kind" = 'purchase'), 0) AS "n",
               sum(CASE WHEN "kind" = 'purchase' THEN "amount" ELSE -"amount" END) AS "net"
          FROM "ledger_daily"
         WHERE "kind" IN ('purchase', 'refund')
         GROUP BY 1, 2) "per_day";

-- The number of users without counting a million rows on every /stats (75 ms at 1 M users): a counter
-- kept by statement triggers on users, split over 16 rows by the writing session (no single row that
-- every registration updates). The total is sum(n); it is exact in every snapshot, as the rows move in
-- the transaction that inserts or deletes the users.
CREATE TABLE "user_counts" (
    "shard" INTEGER NOT NULL,
    "n" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "user_counts_pkey" PRIMARY KEY ("shard")
);
ALTER TABLE "user_counts" ADD CONSTRAINT "user_counts_shard_range" CHECK ("shard" >= 0 AND "shard" < 16);
INSERT INTO "user_counts" ("shard", "n") SELECT g, 0 FROM generate_series(0, 15) g;
UPDATE "user_counts" SET "n" = (SELECT count(*) FROM "users") WHERE "shard" = 0;

CREATE FUNCTION "user_counts_added"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "user_counts" SET "n" = "n" + (SELECT count(*) FROM "added") WHERE "shard" = pg_backend_pid() % 16;
  RETURN NULL;
END
$$;
CREATE FUNCTION "user_counts_removed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "user_counts" SET "n" = "n" - (SELECT count(*) FROM "removed") WHERE "shard" = pg_backend_pid() % 16;
  RETURN NULL;
END
$$;
CREATE TRIGGER "user_counts_added" AFTER INSERT ON "users"
  REFERENCING NEW TABLE AS "added" FOR EACH STATEMENT EXECUTE FUNCTION "user_counts_added"();
CREATE TRIGGER "user_counts_removed" AFTER DELETE ON "users"
  REFERENCING OLD TABLE AS "removed" FOR EACH STATEMENT EXECUTE FUNCTION "user_counts_removed"();

-- /stats counts the pending users by an index-only scan of this partial index (and the inactive ones by
-- users_inactive_idx): disabled = inactive − pending. Reading each inactive user's row to tell the two
-- apart took 35 ms at 10,000 inactive users.
CREATE INDEX "users_pending_idx" ON "users" ("numeric_id")
  WHERE NOT "is_active" AND "activated_at" IS NULL AND "activation_token_hash" IS NOT NULL;

-- The days not closed yet (today, normally), by kind, direction and product, as of the watermark: the
-- job adds the rows it folds by seq (report_state.ledger_seq) and the closed-days step removes a day
-- when it closes it. A report reads these few rows plus the ledger after the watermark, not all of
-- today's ledger.
CREATE TABLE "ledger_open_days" (
    "day" DATE NOT NULL,
    "kind" "ledger_kind" NOT NULL,
    "direction" "ledger_direction" NOT NULL,
    "product_id" UUID NOT NULL,
    "count" BIGINT NOT NULL,
    "amount" DECIMAL(20,2) NOT NULL,

    CONSTRAINT "ledger_open_days_pkey" PRIMARY KEY ("day","kind","direction","product_id")
);

-- An account's check now holds its stored balance as of the watermark (the balance_after of its last
-- ledger row there) instead of the balance read when the job ran, so that the wallets' total is exact as
-- of the watermark and a report adds the ledger after it. The job folds the accounts again from the
-- start, in one set-based pass (60 s at 10 M ledger rows); until then the reconciliation reads the
-- ledger live (slower, exact).
TRUNCATE "account_checks";
UPDATE "report_state" SET "ledger_seq" = 0, "wallets_total" = 0 WHERE "id" = 1;

-- ledger_open_days and report_state are rewritten every second the ledger moves (the same few rows):
-- room on each page for the new versions (HOT updates, no index entry) and a vacuum after every
-- thousand dead rows, so that a report's read of them stays a read of live rows (13 MB of dead versions
-- for 1,000 live rows after a day of the bench, read at every report, before this).
ALTER TABLE "ledger_open_days" SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
ALTER TABLE "report_state" SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
