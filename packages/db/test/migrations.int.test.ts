import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMigrations } from "../src/migrations-dir.ts";
import { createTestDb, type TestDb } from "../src/testing.ts";

describe("migrations", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("records every committed migration with its sha256 checksum", async () => {
    const rows = await db.prisma.$queryRaw<{ migration_name: string; checksum: string; applied_steps_count: number }[]>`
      SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`;
    expect(rows).toEqual(
      readMigrations().map((m) => ({ migration_name: m.name, checksum: m.checksum, applied_steps_count: 1 })),
    );
  });
});
