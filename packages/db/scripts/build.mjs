// `npm run build` for @shop/db: its entry bundled into dist/index.js by @shop/build (tooling/build),
// with every package (PGlite, pg, Prisma's runtime and adapters) left in node_modules. The generated
// Prisma client is inside the bundle. dist/ sits at the same depth as src/, so the paths computed from
// import.meta.url (prisma/migrations, the repository's .data/) stay right.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundle } from "@shop/build";

await bundle({
  root: join(dirname(fileURLToPath(import.meta.url)), ".."),
  entry: "src/index.ts",
  name: "db",
  packagesExternal: true,
});
