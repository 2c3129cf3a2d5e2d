// Loads Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm, pinned to the exact
// version that matches `prisma`) without `--experimental-wasm-modules`, and runs it over a PGlite
// adapter. It lets us diff schemas and migrations offline, where Prisma's native engine cannot be
// downloaded. The package's API is internal to Prisma: keep its version pinned exactly.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { PGlite } from "@electric-sql/pglite";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import type * as Bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { pgliteExtensions } from "../pglite-extensions.ts";

const require = createRequire(import.meta.url);

type Bindings = typeof Bg;

async function loadBindings(): Promise<Bindings> {
  const bgPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bindings = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as Bindings & {
    __wbg_set_wasm(exports: WebAssembly.Exports): void;
  };
  const bytes = await readFile(bgPath.replace(/\.js$/, ".wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, {
    "./schema_engine_bg.js": bindings as unknown as WebAssembly.ModuleImports,
  });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bindings;
}

let bindingsPromise: Promise<Bindings> | undefined;

/** A schema engine whose "database" (and shadow database) is a throwaway in-memory PGlite. */
export async function withSchemaEngine<T>(fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  bindingsPromise ??= loadBindings();
  const { SchemaEngine } = await bindingsPromise;
  const pglite = new PGlite({ extensions: pgliteExtensions });
  const shadows: PGlite[] = [];
  // The adapter's own shadow database is a bare PGlite: the migrations' extensions would be missing.
  class WithExtensions extends PrismaPGlite {
    override connectToShadowDb() {
      const shadow = new PGlite({ dataDir: "memory://shadow", extensions: pgliteExtensions });
      shadows.push(shadow);
      return new PrismaPGlite(shadow).connect();
    }
  }
  const factory = bindMigrationAwareSqlAdapterFactory(new WithExtensions(pglite));
  const engine = await SchemaEngine.new({ datamodels: undefined }, () => {}, factory);
  try {
    return await fn(engine);
  } finally {
    engine.free();
    await pglite.close();
    for (const shadow of shadows) if (!shadow.closed) await shadow.close();
  }
}
