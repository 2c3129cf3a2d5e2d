// A per-process cache of reads that a NOTIFY channel invalidates: the product list is the most
// frequent call of a shop and changes rarely, so each process answers it from memory, and every write
// to the table, by any process on any host (a trigger sends the NOTIFY, see the migration
// `products_changed_notify`), empties every process's cache when it commits.
//
// Correctness rules:
// - Nothing is served from the cache unless the process is listening. Until LISTEN succeeds, and from
//   the moment the session is lost until it is back, every read goes to the database (`bypass`); on
//   `ready` the cache starts empty, since what changed while deaf was not heard.
// - A load that was running when an invalidation arrived is answered to its callers but not kept: the
//   invalidation empties the map, promises in flight included, since they may have read the table
//   before the write committed.
// - The process that writes invalidates at once (`invalidate()` after the statement), so it reads its
//   own writes without waiting for its own notification; the others follow within the notification's
//   latency (milliseconds; the two-process test bounds it at 1 s).
// - Concurrent misses of one key share one load; entries are bounded (LRU) and also expire after a
//   minute, a backstop should notifications ever go unheard without the session being seen to fail.
//
// Cached values are shared between requests: callers must treat them as read-only.
import type { Db } from "@shop/db";
import { LRUCache } from "lru-cache";
import { cacheReads } from "../metrics/metrics.ts";

export interface ChangeCache<V extends object> {
  read(key: string, load: () => Promise<V>): Promise<V>;
  /** Forgets everything now (this process's own write). */
  invalidate(): void;
}

export interface ChangeCacheOptions {
  /** The NOTIFY channel that invalidates (an identifier). */
  channel: string;
  /** A name for metrics (`cache` label). */
  name: string;
  max?: number;
  ttlMs?: number;
}

export function changeCache<V extends object>(db: Pick<Db, "listen">, options: ChangeCacheOptions): ChangeCache<V> {
  const entries = new LRUCache<string, Promise<V>>({ max: options.max ?? 500, ttl: options.ttlMs ?? 60_000 });
  let listening = false;
  let subscribed = false;
  const counted = {
    hit: cacheReads.labels(options.name, "hit"),
    miss: cacheReads.labels(options.name, "miss"),
    bypass: cacheReads.labels(options.name, "bypass"),
  };

  // Emptying the map is the whole invalidation: a load still running keeps answering its callers, but
  // its promise is no longer in the map, so nobody reads it afterwards.
  const forget = () => entries.clear();

  const subscribe = () => {
    subscribed = true;
    db.listen(options.channel, (event) => {
      forget();
      if (event.type === "ready") listening = true;
      else if (event.type === "lost") listening = false;
    }).catch(() => {
      // Cannot listen (yet): keep bypassing; the next read tries again.
      subscribed = false;
    });
  };

  return {
    read(key, load) {
      if (!listening) {
        if (!subscribed) subscribe();
        counted.bypass.inc();
        return load();
      }
      const held = entries.get(key);
      if (held) {
        counted.hit.inc();
        return held;
      }
      counted.miss.inc();
      const loading = load();
      entries.set(key, loading);
      // A failed load is not kept (unless an invalidation already dropped it, or a newer load took its key).
      loading.catch(() => {
        if (entries.get(key) === loading) entries.delete(key);
      });
      return loading;
    },
    invalidate: forget,
  };
}
