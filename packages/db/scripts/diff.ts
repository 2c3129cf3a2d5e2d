// npm run db:diff -- <name>
// Writes prisma/migrations/<UTC stamp>_<name>/migration.sql with the SQL that takes the committed
// migrations to schema.prisma. Review it and add what Prisma cannot express (CHECKs, expression indexes).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { migrationsDir } from "../src/migrations-dir.ts";
import { diffMigrationsToSchema } from "../src/schema-engine/diff.ts";

const name = (process.argv[2] ?? "").trim();
if (!/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:diff -- <name>   (lowercase letters, digits and underscores)");
  process.exit(2);
}

const sql = await diffMigrationsToSchema();
if (!sql) {
  console.log("schema.prisma and the migrations agree: nothing to write.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = join(migrationsDir, `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "migration.sql"), `${sql}\n`);
console.log(`wrote ${join(dir, "migration.sql")}:\n\n${sql}`);
