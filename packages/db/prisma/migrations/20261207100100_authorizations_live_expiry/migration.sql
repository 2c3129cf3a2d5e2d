-- The money held now (/stats and /reconciliation: reports.repository.ts HELD_NOW) by a range of expiry
-- dates. authorizations_live_idx (account_id, expires_at) WHERE status = 'authorized' serves one account's
-- holds, but summed over every account it is read whole: every hold still stored `authorized`, including
-- the expired ones nobody released (a hold is released by the next move on its account, so those of an
-- account that never moves again stay). This index reads only the unexpired ones: HELD_NOW bounds the
-- range with now() (stable, at most clock_timestamp(), so the condition it adds is implied by the live
-- rule and changes no sum). Plain CREATE INDEX (migrations run in a transaction).
CREATE INDEX "authorizations_live_expires_at_idx" ON "authorizations" ("expires_at") INCLUDE ("amount")
  WHERE "status" = 'authorized';
