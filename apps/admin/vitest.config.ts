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

// End-to-end tests: a real API server (fresh embedded database) and Debian's Chromium, one file at a
// time. Slow by nature: long timeouts.
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.test.ts"],
    globalSetup: ["e2e/global-setup.ts"],
    fileParallelism: false,
    sequence: { sequencer: ByName },
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});
