// `npm run build` for the API: one esbuild bundle of the server in dist/ (main.js, plus the chunks its
// dynamic imports load on demand: the cluster primary, the metrics listener, the app).
//
// Why a bundle and not tsc's file-per-file JavaScript: Node spent about a third of a start resolving,
// reading and compiling some 600 small modules (Express and its middleware, zod, tRPC, ioredis…);
// bundled, it reads a handful of files. Type errors stay `npm run typecheck`'s job.
//
// Left outside the bundle, loaded by Node from node_modules as they are: @shop/db (its migrations and
// data directory are found from its own location; it loads PGlite's WebAssembly and Prisma's), bcrypt
// (a native addon), pino (its transports run in worker threads that load modules by name) and
// swagger-ui-dist (Swagger UI's files, served from its directory). The workspace packages are taken
// from their TypeScript sources (esbuild strips the types), so the API needs no build of
// @shop/contracts.
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "dist");
rmSync(outdir, { recursive: true, force: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: ["src/main.ts"],
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  // CommonJS packages inside an ES module bundle still call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  external: ["@shop/db", "bcrypt", "pino", "pino-pretty", "swagger-ui-dist"],
  metafile: true,
  logLevel: "warning",
  legalComments: "linked",
});

const inputs = Object.keys(result.metafile.inputs).length;
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`api: bundled ${inputs} modules into dist/ (${(bytes / 1024 / 1024).toFixed(1)} MB with source maps)`);
