// Runs `prisma generate` without any network or native engine.
//
// Prisma 7's CLI insists that a schema engine binary exists before it generates, although generating
// the client never runs it (the client itself is pure TypeScript + WebAssembly). Its install step tries
// to download that binary and silently fails offline, so we point PRISMA_SCHEMA_ENGINE_BINARY at a
// stub unless the caller supplied a real one.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
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
process.exit(result.status ?? 1);
