// Loaded with `node --import` into every API server the reliability suites start: if the test process
// that started the server disappears (even by SIGKILL, when no exit hook can run), the server kills
// itself within a second, so no orphan keeps a port or a database connection.
const parent = Number(process.env.RELIABILITY_PARENT_PID);
if (Number.isInteger(parent) && parent > 1) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.kill(process.pid, "SIGKILL");
    }
  }, 1000).unref();
}
