// The Idempotency-Key of one money move (a refund, an adjustment): made when its dialog opens, sent with
// every try of that move (a double click, a retry after no answer), so the API applies it at most once;
// the tRPC client sends it as the `Idempotency-Key` header of a request of its own (trpc.ts).
import { useCallback, useRef } from "react";
import { appCode, httpStatus } from "./errors.ts";

/**
 * Whether the server refused the move for good — it answered, and nothing moved (insufficient funds,
 * too large a refund, bad input) — so the next try is a new move with a new key. No answer, a 5xx, a
 * timeout, a rate limit or "the same key is still running" leave the first try's outcome open: the key stays.
 */
export function refusedForGood(error: unknown): boolean {
  const status = httpStatus(error);
  if (status === undefined || status >= 500 || status === 408 || status === 429) return false;
  return (appCode(error) as string | undefined) !== "IDEMPOTENCY_KEY_IN_USE";
}

/**
 * `{ current(), renew(), settle(error), once(run) }`: the key of the move being made; `once` runs one try
 * at a time with it (a second click while a try is on its way does nothing).
 */
export function useIdempotencyKey() {
  const key = useRef<string>("");
  const trying = useRef(false);
  const renew = useCallback(() => {
    key.current = crypto.randomUUID();
  }, []);
  const current = useCallback(() => {
    if (!key.current) renew();
    return key.current;
  }, [renew]);
  const settle = useCallback(
    (error: unknown) => {
      if (refusedForGood(error)) renew();
    },
    [renew],
  );
  const once = useCallback(
    (run: (key: string) => Promise<unknown>) => {
      if (trying.current) return;
      trying.current = true;
      void run(current())
        .catch(() => undefined)
        .finally(() => {
          trying.current = false;
        });
    },
    [current],
  );
  return { current, renew, settle, once };
}
