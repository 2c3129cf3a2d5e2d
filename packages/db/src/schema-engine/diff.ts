// Offline diffs between the committed migrations and schema.prisma, through the WebAssembly engine.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DiffTarget, MigrationList } from "@prisma/schema-engine-wasm";
import { migrationsDir, readMigrations, readSchema } from "../migrations-dir.ts";
import { withSchemaEngine } from "./engine.ts";

const noFilters = { externalTables: [], externalEnums: [] };

function migrationList(): MigrationList {
  const lockPath = join(migrationsDir, "migration_lock.toml");
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: readMigrations().map((m) => ({
      path: m.name,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: m.sql } },
    })),
  };
}

/**
 * The SQL that would take a database built from the committed migrations to schema.prisma.
 * Empty when they agree (no drift). The migrations are replayed on an in-memory PGlite shadow database.
 */
export async function diffMigrationsToSchema(): Promise<string> {
  const from: DiffTarget = { tag: "migrations", ...migrationList() };
  const to: DiffTarget = { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: readSchema() }] };
  const result = await withSchemaEngine((engine) =>
    engine.diff({ from, to, script: true, exitCode: null, filters: noFilters }),
  );
  const script = (result.stdout ?? "").trim();
  return script === "-- This is an empty migration." ? "" : script;
}
