-- No JIT compilation for this database's sessions (new sessions; set on the database, so every client —
-- pooled or not — gets it). At 10 M ledger rows the reports' plans cost enough to be JIT-compiled, which
-- took 6 s of a 6 s GET /stats (inlining and optimising 180 functions); no query of this API gains from it.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
END
$$;
