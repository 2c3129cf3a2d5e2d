// schema.prisma and the committed migrations describe the same database: an edit to one without a
// migration for it (npm run db:diff) fails here.
import { describe, expect, it } from "vitest";
import { diffMigrationsToSchema } from "../src/schema-engine/diff.ts";
import { testDatabaseUrl } from "../src/testing.ts";

// The diff replays the migrations on its own in-memory PGlite, whatever DATABASE_URL says: run it once.
describe.skipIf(testDatabaseUrl)("schema drift (engine-independent: runs only in the PGlite run)", () => {
  it("the committed migrations produce exactly schema.prisma", { timeout: 120_000 }, async () => {
    expect(await diffMigrationsToSchema()).toBe("");
  });
});
