// npm run db:migrate — applies pending migrations to DATABASE_URL, or to the embedded database in
// DATA_DIR (default <repo>/.data) when no URL is set.
import { createDb } from "./index.ts";

const db = await createDb({
  databaseUrl: process.env.DATABASE_URL || undefined,
  dataDir: process.env.DATA_DIR || undefined,
  log: (message) => console.log(message),
});
console.log(
  db.migration.applied.length === 0
    ? `${db.engine}: no pending migrations`
    : `${db.engine}: applied ${db.migration.applied.length} migration(s)`,
);
await db.close();
