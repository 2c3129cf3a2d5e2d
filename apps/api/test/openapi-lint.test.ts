// The document passes Spectral's OpenAPI ruleset (spectral:oas) with no error and no warning.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { createOpenApiDocument } from "../src/http/openapi.ts";

it("lints clean with Spectral's spectral:oas ruleset (0 errors, 0 warnings)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "openapi-lint-"));
  try {
    const file = join(dir, "openapi.json");
    await writeFile(file, JSON.stringify(createOpenApiDocument({ publicUrl: "http://localhost:3000" }), null, 2));
    const run = promisify(execFile)(
      "npx",
      [
        "spectral",
        "lint",
        "--ruleset",
        join(import.meta.dirname, "..", ".spectral.yaml"),
        "--fail-severity",
        "hint",
        "--format",
        "json",
        "--output",
        join(dir, "report.json"),
        file,
      ],
      { cwd: join(import.meta.dirname, "..") },
    );
    // Spectral exits 1 when it finds anything at or above --fail-severity: the report says what.
    await run.catch(() => undefined);
    const report = await readFile(join(dir, "report.json"), "utf8");
    const problems = JSON.parse(report) as { code: string; message: string; path: string[] }[];
    expect(problems.map((p) => `${p.code} ${p.path.join(".")}: ${p.message}`)).toEqual([]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
