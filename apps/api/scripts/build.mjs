// `npm run build` for the API: one esbuild bundle of the server in dist/ (main.js, plus the chunks its
// dynamic imports load on demand: the cluster primary, the metrics listener, the app), made by
// @shop/build (tooling/build).
//
// Left outside the bundle, loaded by Node from node_modules as they are: @shop/db (its migrations and
// data directory are found from its own location; it loads PGlite's WebAssembly and Prisma's), bcrypt
// (a native addon), pino (its transports run in worker threads that load modules by name) and
// swagger-ui-dist (Swagger UI's files, served from its directory). @shop/contracts is taken from its
// TypeScript sources (esbuild strips the types), so the API needs no build of it.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundle } from "@shop/build";

await bundle({
  root: join(dirname(fileURLToPath(import.meta.url)), ".."),
  entry: "src/main.ts",
  name: "api",
  splitting: true,
  external: ["@shop/db", "bcrypt", "pino", "pino-pretty", "swagger-ui-dist"],
});
