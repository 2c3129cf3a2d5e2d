// The embedded database lives in a directory that only one process may open at a time: PGlite is
// a single-process engine, and two writers would corrupt it. A pid file makes the second process
// fail fast with a clear message instead.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The migrated database a new data directory is unpacked from (scripts/template.mjs, run by `npm
 * start`'s build step), when it has been made.
 */
export const pgliteTemplatePath = resolve(dirname(fileURLToPath(import.meta.url)), "..", "template", "pglite.tar.gz");

/** `<repository root>/.data`, wherever the process was started from. */
export const defaultDataDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", ".data");

/** The lock file in a data directory (the pid of the process that has it open). */
export const LOCK_FILE = "shop.pid";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Creates `dir` when missing and takes its lock; returns the function that releases it. */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const lockPath = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(lockPath, "utf8").trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `the embedded database in ${dir} is in use by process ${owner}; stop it, or set DATA_DIR (or DATABASE_URL) for this one`,
        );
      }
      rmSync(lockPath, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not lock ${lockPath}`);
}
