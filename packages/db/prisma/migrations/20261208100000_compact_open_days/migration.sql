-- ledger_open_days holds the days the roll-up job has not closed yet: today, and yesterday until the
-- job closes it. The first fold after 20261207110000_stats_rollups wrote every day of the history there,
-- and the closed-days step then deleted all but today's rows. The dead rows' pages stayed: a vacuum frees
-- them for reuse but never gives them back. At the bench's year (10 M ledger rows) the table kept 3,470
-- pages for 1,001 rows, and every report that reads it scanned them all (3.2 ms a read instead of 0.3).
-- The job no longer writes a day that is about to close (rollups.repository.ts). Here the table is
-- rewritten with its rows kept, in this migration's transaction (TRUNCATE frees the pages at once).
-- Timed on a copy as bloated as the bench's (3,868 pages, 560 live rows): 21 ms in all, the commit
-- included; the table then holds 11 pages. It takes an ACCESS EXCLUSIVE lock for that long.
CREATE TEMP TABLE "open_days_kept" AS SELECT * FROM "ledger_open_days";
TRUNCATE "ledger_open_days";
INSERT INTO "ledger_open_days" SELECT * FROM "open_days_kept";
DROP TABLE "open_days_kept";
