// `turbo run template` (part of `npm start`): a freshly initialised and migrated embedded database,
// dumped to template/pglite.tar.gz. A new data directory is then unpacked from it instead of running
// PostgreSQL's initdb and every migration inside WebAssembly at the first start (about 3.5 s of CPU,
// against about 1 s to unpack). turbo caches it by its inputs (the migrations, the PGlite version in
// package.json, this script) and runs it alongside the other builds. Without it, or if it cannot be
// loaded, the server creates the database from scratch as before.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { migratePglite, pgliteExtensions, pgliteTemplatePath } from "../dist/index.js";

const started = performance.now();
const pglite = await PGlite.create("memory://", { extensions: pgliteExtensions });
const { applied } = await migratePglite(pglite);
const dump = await pglite.dumpDataDir("gzip");
await pglite.close();
mkdirSync(dirname(pgliteTemplatePath), { recursive: true });
const partial = join(dirname(pgliteTemplatePath), `.partial-${process.pid}`);
writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
renameSync(partial, pgliteTemplatePath);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`db: embedded database template with ${applied.length} migrations in ${seconds} s`);
