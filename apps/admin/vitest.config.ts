import { defineConfig } from "vitest/config";

// End-to-end tests: a real API server (fresh embedded database) and Debian's Chromium, one file at a
// time. Slow by nature: long timeouts.
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.test.ts"],
    globalSetup: ["e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});
