// The floor: Express 5 answering a small JSON, nothing else (no logging, no body parsing, no tRPC,
// no database). The benchmark runs it like the API (plain node, NODE_ENV=production) so that the
// difference between the two is the application's own work. Plain JavaScript: no loader in the process.
import express from "express";

const app = express();
app.disable("x-powered-by");
app.get("/", (_req, res) => {
  res.json({ status: "ok", service: "bare-express" });
});

const server = app.listen(Number(process.env.PORT), "127.0.0.1");
server.keepAliveTimeout = 65_000;
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));
