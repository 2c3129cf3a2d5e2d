// Runs `prisma generate` without any network or native engine.
//
// Prisma 7's CLI insists that a schema engine binary exists before it generates, although generating
// the client never runs it (the client itself is pure TypeScript + WebAssembly). Its install step tries
// to download that binary and silently fails offline, so we point PRISMA_SCHEMA_ENGINE_BINARY at a
// stub unless the caller supplied a real one.
//
// It runs at install (postinstall) and again as the build's first step; when the schema, the Prisma
// version and this script are what the client was generated from, it does nothing (a fresh clone's
// first `npm start` would otherwise spend seconds generating the same files twice).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stampPath = join(root, "src", "generated", "inputs.sha256");
const inputs = createHash("sha256");
for (const file of ["prisma/schema.prisma", "prisma.config.ts", "scripts/generate.mjs"]) {
  inputs.update(readFileSync(join(root, file)));
}
inputs.update(createRequire(import.meta.url)("prisma/package.json").version);
const stamp = inputs.digest("hex");
if (
  existsSync(join(root, "src", "generated", "prisma", "client.ts")) &&
  existsSync(stampPath) &&
  readFileSync(stampPath, "utf8").trim() === stamp
) {
  console.log("Prisma client up to date (src/generated)");
  process.exit(0);
}
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };

if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  const stubDir = join(root, ".stub-engine");
  const stub = join(stubDir, "schema-engine");
  if (!existsSync(stub)) {
    mkdirSync(stubDir, { recursive: true });
    writeFileSync(stub, "#!/bin/sh\necho 'schema-engine stub: use npm run db:migrate / db:diff' >&2\nexit 1\n");
    chmodSync(stub, 0o755);
  }
  env.PRISMA_SCHEMA_ENGINE_BINARY = stub;
}

const result = spawnSync("npx", ["--no-install", "prisma", "generate", "--no-hints"], {
  cwd: root,
  env,
  stdio: "inherit",
});
if (result.status === 0) writeFileSync(stampPath, `${stamp}\n`);
process.exit(result.status ?? 1);
