// The one way a server-side package of this repository is built: an esbuild bundle of its entry in
// `dist/` (ES modules, Node 20, source maps), emptied first. Types are `npm run typecheck`'s job.
//
// A bundle rather than tsc's file-per-file JavaScript because of start-up: Node spent about a third of
// a restart resolving, reading and compiling some 600 small modules (docs/performance.md).
import { rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

/**
 * @param {object} options
 * @param {string} options.root the package's directory
 * @param {string} options.entry its entry point, relative to root
 * @param {string} options.name what to call it in the one line printed
 * @param {string[]} [options.external] packages loaded from node_modules at run time
 * @param {boolean} [options.splitting] dynamic imports become chunks loaded on demand
 * @param {boolean} [options.packagesExternal] every package stays outside (a library's build)
 */
export async function bundle({ root, entry, name, external = [], splitting = false, packagesExternal = false }) {
  const outdir = join(root, "dist");
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outdir,
    bundle: true,
    splitting,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: true,
    ...(packagesExternal ? { packages: "external" } : { external }),
    // CommonJS packages inside an ES module bundle still call require() for Node's built-ins.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    metafile: true,
    logLevel: "warning",
    legalComments: "linked",
  });
  const inputs = Object.keys(result.metafile.inputs).length;
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  console.log(
    `${name}: bundled ${inputs} modules into dist/ (${(bytes / 1024 / 1024).toFixed(1)} MB with source maps)`,
  );
}
