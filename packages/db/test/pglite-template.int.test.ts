// A new embedded data directory is unpacked from the migrated template (scripts/template.mjs) instead
// of running initdb and every migration; an existing one never is; a template that cannot be read
// leaves a working database made from scratch. PGlite only: the template is the embedded engine's.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../src/index.ts";
import { readMigrations } from "../src/migrations-dir.ts";
import { pgliteTemplate } from "../src/testing.ts";

const scratch = mkdtempSync(join(tmpdir(), "shop-template-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function templateFile(): Promise<string> {
  const path = join(scratch, "template.tar");
  writeFileSync(path, Buffer.from(await (await pgliteTemplate()).arrayBuffer()));
  return path;
}

async function open(dataDir: string, template: string) {
  const lines: string[] = [];
  const db = await createDb({ dataDir, template, log: (m) => lines.push(m) });
  return { db, lines };
}

const migrationCount = readMigrations().length;

describe("the embedded database template", () => {
  it("a new data directory starts migrated from it, and keeps what is written across a restart", async () => {
    const template = await templateFile();
    const dataDir = join(scratch, "fresh");
    const first = await open(dataDir, template);
    expect(first.lines.some((l) => l.includes("from the migrated template"))).toBe(true);
    expect(first.db.migration.applied).toEqual([]);
    const recorded = await first.db.prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`,
    );
    expect(recorded[0]!.n).toBe(migrationCount);
    await first.db.prisma.product.create({ data: { title: "Kept", description: "", price: "1.00" } });
    await first.db.close();

    const again = await open(dataDir, template);
    expect(again.lines.some((l) => l.includes("template"))).toBe(false);
    expect(await again.db.prisma.product.count({ where: { title: "Kept" } })).toBe(1);
    await again.db.close();
  });

  it("an unreadable template leaves a database made from scratch, every migration applied", async () => {
    const broken = join(scratch, "broken.tar.gz");
    writeFileSync(broken, Buffer.from("not a tarball at all"));
    const { db, lines } = await open(join(scratch, "from-scratch"), broken);
    expect(lines.some((l) => l.includes("could not be loaded"))).toBe(true);
    expect(db.migration.applied).toHaveLength(migrationCount);
    expect(await db.prisma.product.count()).toBe(0);
    await db.close();
  }, 120_000);
});
