// Loaded into the API server by the benchmark only (node --import): counts the statements the server
// sends to PostgreSQL (each one is a network round trip), and answers "bench:statements" over the
// IPC channel the benchmark opened. The cost is one counter increment per statement.
//
// Plain JavaScript: the benchmark runs the compiled server with plain node, as `npm start` does, and
// Node 20 cannot load TypeScript without a loader. `pg` is resolved as @shop/db resolves it, so the
// class patched here is the one its pool uses.
import { createRequire } from "node:module";

const pg = createRequire(new URL("../../../packages/db/src/index.ts", import.meta.url))("pg");

let statements = 0;
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function (...args) {
  statements++;
  return original.apply(this, args);
};

if (process.send) {
  process.on("message", (message) => {
    if (message === "bench:statements") process.send?.({ statements });
  });
  process.channel?.unref();
}
