// Once per run: build the SPA if needed and start one API server for all e2e files. Without Chromium
// nothing is started: the tests skip and say why.
import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { chromiumPath, SKIP_REASON } from "./env.ts";
import { ensureBuilt, startApi } from "./harness.ts";

declare module "vitest" {
  export interface ProvidedContext {
    apiUrl: string;
    jwtSecret: string;
  }
}

export default async function setup(project: TestProject) {
  if (!chromiumPath()) {
    console.warn(`\n[e2e] SKIPPED: ${SKIP_REASON}\n`);
    project.provide("apiUrl", "");
    project.provide("jwtSecret", "");
    return;
  }
  await ensureBuilt();
  const server = await startApi();
  project.provide("apiUrl", server.url);
  project.provide("jwtSecret", server.jwtSecret);
  return () => server.stop();
}
