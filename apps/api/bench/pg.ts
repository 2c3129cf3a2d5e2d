// The `pg` driver exactly as @shop/db resolves it (the same module instance its pool uses), so the
// benchmark needs no dependency of its own and the statement counter patches the right class.
import { createRequire } from "node:module";
import { join } from "node:path";
import type pgTypes from "pg";
import { REPO_ROOT } from "./config.ts";

const requireFromDb = createRequire(join(REPO_ROOT, "packages", "db", "src", "index.ts"));

export const pg = requireFromDb("pg") as typeof pgTypes;
