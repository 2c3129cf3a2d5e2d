// What the reliability suites report: the engine they ran on, how long their load phases last
// (RELIABILITY_SECONDS), and the one-line JSON summary each suite prints (docs/reliability.md is
// refreshed from those lines).
import { fileURLToPath } from "node:url";
import { testDatabaseUrl } from "@shop/db/testing";

export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
export const ENGINE = testDatabaseUrl ? "postgres" : "pglite";

/** Seconds of load in the load phases (default 10). */
export const RELIABILITY_SECONDS = (() => {
  const raw = process.env.RELIABILITY_SECONDS;
  if (raw === undefined || raw.trim() === "") return 10;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 3600)
    throw new Error(`RELIABILITY_SECONDS must be in (0, 3600], not ${raw}`);
  return n;
})();

/** Prints the suite's figures as one JSON line. */
export function summary(suite: string, figures: Record<string, unknown>): void {
  const line = JSON.stringify({ reliability: suite, engine: ENGINE, ...figures }, (_k, v) =>
    typeof v === "bigint" ? v.toString() : v,
  );
  console.log(line);
}
