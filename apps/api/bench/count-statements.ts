// Loaded into the API server by the benchmark only (node --import): counts the statements the server
// sends to PostgreSQL (each one is a network round trip), and answers "bench:statements" over the
// IPC channel the benchmark opened. The cost is one counter increment per statement.
import { pg } from "./pg.ts";

let statements = 0;
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: InstanceType<typeof pg.Client>, ...args: unknown[]) {
  statements++;
  return (original as (...a: unknown[]) => unknown).apply(this, args);
} as typeof original;

if (process.send) {
  process.on("message", (message) => {
    if (message === "bench:statements") process.send?.({ statements });
  });
  process.channel?.unref();
}
