// The PostgreSQL extensions the migrations create, as PGlite needs them: PGlite ships each contrib
// extension as a separate bundle that must be handed to PGlite.create() (`extensions`) on EVERY open of
// a database that uses it, not only the one that runs CREATE EXTENSION. Every place that opens a PGlite
// (index.ts, testing.ts, the template script, the schema engine's shadow database, the migration tests)
// passes this one object. On PostgreSQL the same extensions come with the server (contrib, trusted).
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/** pg_trgm: the trigram GIN index on users.login (migration 20261207100000_users_login_trigram). */
export const pgliteExtensions = { pg_trgm };
