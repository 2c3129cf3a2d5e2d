// LISTEN / NOTIFY: how a process learns that another one (or psql, or a trigger) changed something.
//
// A subscriber hears three things: `ready` (it is listening: anything committed from now on reaches
// it), `notify` (a notification on its channel) and `lost` (the listening session is gone: notifications
// may be missed until the next `ready`). A cache must not serve between `lost` and `ready`, and must
// forget everything at `ready`, since what changed in between was not heard.
//
// PostgreSQL: LISTEN belongs to a session, and a transaction pooler (PgBouncer in transaction mode)
// hands each transaction a different server connection, so the listener is one dedicated client on
// the direct URL when there is one. It reconnects by itself (0.25 s, doubling to 5 s) and checks its
// session every 15 s, so a half-open connection is noticed. A subscriber may hear `ready` twice in a
// row (harmless: it only means "forget and trust again"). PGlite: one process, one session, never lost.
//
// Written here rather than taken from pg-listen (last released 2020): its reconnect loop is the only
// part needed and it is a few dozen lines on top of pg's own `notification` event.
import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";

export type ChangeEvent = { type: "ready" } | { type: "notify"; payload: string } | { type: "lost" };
export type ChangeHandler = (event: ChangeEvent) => void;

export interface Listener {
  /** Subscribes to a channel (a plain identifier); resolves with the unsubscribe function. */
  listen(channel: string, handler: ChangeHandler): Promise<() => void>;
  close(): Promise<void>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function checkChannel(channel: string) {
  if (!IDENTIFIER.test(channel)) throw new Error(`not a channel name: ${channel}`);
}

export function pgliteListener(pglite: PGlite): Listener {
  const stops = new Set<() => Promise<void>>();
  return {
    async listen(channel, handler) {
      checkChannel(channel);
      const stop = await pglite.listen(channel, (payload) => handler({ type: "notify", payload }));
      stops.add(stop);
      handler({ type: "ready" });
      return () => {
        stops.delete(stop);
        void stop().catch(() => {});
      };
    },
    async close() {
      await Promise.allSettled([...stops].map((stop) => stop()));
      stops.clear();
    },
  };
}

/** `connect()` makes an unconnected client for the listening session (openPostgres passes pg's Client). */
/** Drops a client without waiting: no more events reach us, and a late error is swallowed. */
function discard(client: pg.Client): Promise<void> {
  client.removeAllListeners();
  client.on("error", () => {});
  return client.end().catch(() => {});
}

export function pgListener(newClient: () => pg.Client, log: (message: string) => void): Listener {
  const handlers = new Map<string, Set<ChangeHandler>>();
  let client: pg.Client | undefined;
  /** The channels the current session LISTENs to. */
  let listening = new Set<string>();
  let connected = false;
  let connecting: Promise<void> | undefined;
  let closed = false;
  let retryMs = 250;
  let retryTimer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  const emit = (channel: string, event: ChangeEvent) => {
    for (const handler of handlers.get(channel) ?? []) handler(event);
  };

  const lose = (reason: string) => {
    if (closed) return;
    const had = client;
    client = undefined;
    clearInterval(heartbeat);
    if (had) void discard(had);
    if (connected) {
      connected = false;
      log(`LISTEN connection lost (${reason}); reconnecting`);
      for (const channel of handlers.keys()) emit(channel, { type: "lost" });
    }
    scheduleConnect();
  };

  const scheduleConnect = () => {
    if (closed || retryTimer || connecting) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, retryMs);
    retryTimer.unref();
    retryMs = Math.min(retryMs * 2, 5_000);
  };

  const connect = (): Promise<void> =>
    (connecting ??= (async () => {
      const next = newClient();
      next.on("error", (error) => lose(error.message));
      next.on("end", () => lose("the server closed it"));
      next.on("notification", (n) => emit(n.channel, { type: "notify", payload: n.payload ?? "" }));
      try {
        await next.connect();
        listening = new Set();
        for (const channel of [...handlers.keys()]) {
          await next.query(`LISTEN ${channel}`);
          listening.add(channel);
        }
      } catch (error) {
        void discard(next);
        if (!closed) log(`LISTEN connection failed: ${(error as Error).message}`);
        return;
      }
      if (closed) {
        await discard(next);
        return;
      }
      client = next;
      connected = true;
      retryMs = 250;
      heartbeat = setInterval(() => {
        next.query("SELECT 1").catch((error: Error) => lose(error.message));
      }, 15_000);
      heartbeat.unref();
      for (const channel of listening) emit(channel, { type: "ready" });
    })().finally(() => {
      connecting = undefined;
      if (!connected) scheduleConnect();
    }));

  return {
    async listen(channel, handler) {
      checkChannel(channel);
      let set = handlers.get(channel);
      if (!set) handlers.set(channel, (set = new Set()));
      set.add(handler);
      if (!connected) await connect(); // on success, `ready` to every handler of the channels it LISTENs
      const session = client;
      if (connected && session && !listening.has(channel)) {
        try {
          await session.query(`LISTEN ${channel}`);
          listening.add(channel);
        } catch (error) {
          lose((error as Error).message);
        }
      }
      if (connected && listening.has(channel)) handler({ type: "ready" });
      return () => {
        set.delete(handler);
      };
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(heartbeat);
      await connecting?.catch(() => {});
      const had = client;
      client = undefined;
      connected = false;
      if (had) await discard(had);
    },
  };
}
