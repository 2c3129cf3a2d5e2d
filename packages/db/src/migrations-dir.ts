// The committed migrations, read from Prisma's layout: prisma/migrations/<stamp>_<name>/migration.sql.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const prismaDir = join(dirname(fileURLToPath(import.meta.url)), "..", "prisma");
export const migrationsDir = join(prismaDir, "migrations");
export const schemaPath = join(prismaDir, "schema.prisma");

export interface Migration {
  /** Directory name, e.g. `20261127080000_init`; also the name recorded in `_prisma_migrations`. */
  name: string;
  sql: string;
  /** sha256 hex of the file's bytes, as Prisma Migrate records it. */
  checksum: string;
}

export function readMigrations(dir = migrationsDir): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}

export function readSchema(): string {
  return readFileSync(schemaPath, "utf8");
}
