import { fileURLToPath } from "node:url";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/**
 * The files share one API server, one at a time, in the order of their names: admin.e2e.test.ts starts
 * from an empty shop ("No products yet"), so it must come first. Vitest's own order puts failed and slow
 * files first, then the largest, so a file that grew would change the order.
 */
class ByName extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return Promise.resolve([...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId)));
  }
}

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  test: {
    sequence: { sequencer: ByName },
    teardownTimeout: 30_000,
    projects: [
      // Unit tests of the SPA's rules (paging, URL parameters, a report's age): plain functions, no browser.
      { extends: true, test: { name: "unit", include: ["src/**/*.test.ts"] } },
      // End-to-end tests: a real API server (fresh embedded database) and Debian's Chromium, one file at
      // a time. Slow by nature: long timeouts.
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["e2e/**/*.e2e.test.ts"],
          globalSetup: ["e2e/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
