// One bearer HTTP client for the tests, the admin e2e harness and the bench.
//
// - `bearer(who)`: the Authorization header of a token (or of anything with a `token`), as an object
//   for supertest's `.set(...)` and for fetch's headers; nothing for an anonymous caller.
// - `send(base, method, path, options)`: fetch against a server in another process; never throws on a
//   status, parses a JSON answer when there is one.
// No vitest here: the e2e harness and the bench import this module too.

/** A token, or a user that carries one; undefined for an anonymous caller. */
export type Bearer = string | { token: string } | undefined;

/** `{ Authorization: "Bearer <token>" }`, or `{}` for an anonymous caller. */
export function bearer(who: Bearer): Record<string, string> {
  if (who === undefined) return {};
  return { Authorization: `Bearer ${typeof who === "string" ? who : who.token}` };
}

export interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer, checked by each caller
  body: any;
  text: string;
  /** The Content-Type header ("" when absent). */
  type: string;
  headers: Headers;
}

export interface SendOptions {
  token?: Bearer;
  /** Serialised with JSON.stringify. */
  json?: unknown;
  /** Sent exactly as given (Content-Type application/json unless headers say otherwise). */
  raw?: string | undefined;
  headers?: Record<string, string> | undefined;
  timeoutMs?: number;
}

/** One request; `path` may also be an absolute URL (e.g. an activation link). */
export async function send(base: string, method: string, path: string, options: SendOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers, ...bearer(options.token) };
  const body = options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
    headers["content-type"] = "application/json";
  }
  const res = await fetch(/^https?:\/\//.test(path) ? path : `${base}${path}`, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text, type: res.headers.get("content-type") ?? "", headers: res.headers };
}
