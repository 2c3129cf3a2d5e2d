// Outbound HTTP to the shop's endpoints, safe against the usual webhook pitfalls:
// - DNS is resolved ONCE per attempt, every address checked, and the connection made to that address
//   (the URL's host goes in Host and in TLS SNI / certificate checks), so a name that resolves to a
//   public address at the check and to 127.0.0.1 at the connect (DNS rebinding, TOCTOU) cannot reach
//   inside;
// - loopback, private, link-local, CGNAT, multicast and reserved addresses are refused unless allowed
//   (WEBHOOK_ALLOW_PRIVATE_URLS); https only in production unless that same setting allows http;
// - redirects are never followed (a 3xx is a failed attempt); the answer is read to 1 KB and dropped;
// - one deadline for the whole attempt (connect, send, answer).
import { BlockList, isIP } from "node:net";
import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";

export const ANSWER_LIMIT = 1024;

const blocked = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  blocked.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  blocked.addSubnet(net, bits, "ipv6");

/** True for an address a webhook may not reach by default (IPv4-mapped IPv6 judged as its IPv4). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, "ipv4");
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? "ipv4" : "ipv6");
}

export interface UrlPolicy {
  allowPrivate: boolean;
  requireHttps: boolean;
}

/** Why a URL may not be a target, judged without DNS (scheme, credentials, a literal address); or null. */
export function urlRefusal(raw: string, policy: UrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not a URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "only http(s) URLs";
  if (policy.requireHttps && url.protocol !== "https:") return "https is required";
  if (url.username || url.password) return "credentials in the URL are not allowed";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (
    !policy.allowPrivate &&
    (isIP(host) ? isPrivateAddress(host) : host === "localhost" || host.endsWith(".localhost"))
  ) {
    return "loopback, private and link-local addresses are refused";
  }
  return null;
}

export interface PostResult {
  statusCode: number | null;
  /** The answer's first 1 KB (UTF-8, possibly cut mid-character). */
  body: string | null;
  error: string | null;
  durationMs: number;
}

/** POSTs `body` to `rawUrl` with `headers`; never throws. */
export async function safePost(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  options: UrlPolicy & { timeoutMs: number },
): Promise<PostResult> {
  const started = performance.now();
  const done = (r: Omit<PostResult, "durationMs">): PostResult => ({
    ...r,
    durationMs: Math.round(performance.now() - started),
  });
  const refusal = urlRefusal(rawUrl, options);
  if (refusal) return done({ statusCode: null, body: null, error: `refused: ${refusal}` });
  const url = new URL(rawUrl);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const deadline = AbortSignal.timeout(options.timeoutMs);
  let address: { address: string; family: number };
  try {
    const all = isIP(host)
      ? [{ address: host, family: isIP(host) }]
      : await lookup(host, { all: true, verbatim: true });
    if (all.length === 0) return done({ statusCode: null, body: null, error: "DNS: no address" });
    if (!options.allowPrivate) {
      const inside = all.find((a) => isPrivateAddress(a.address));
      if (inside) {
        return done({
          statusCode: null,
          body: null,
          error: `refused: ${host} resolves to ${inside.address} (loopback, private or link-local)`,
        });
      }
    }
    address = all[0]!;
  } catch (error) {
    return done({ statusCode: null, body: null, error: `DNS: ${(error as Error).message}` });
  }
  const secure = url.protocol === "https:";
  return new Promise<PostResult>((resolve) => {
    const request = (secure ? https : http).request({
      method: "POST",
      host: address.address,
      family: address.family,
      port: url.port || (secure ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      headers: {
        ...headers,
        host: url.host,
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
        "user-agent": "shop-webhooks/1",
      },
      ...(secure ? { servername: isIP(host) ? undefined : host } : {}),
      signal: deadline,
      agent: false,
    });
    let settled = false;
    const finish = (r: Omit<PostResult, "durationMs">) => {
      if (settled) return;
      settled = true;
      request.destroy();
      resolve(done(r));
    };
    request.on("error", (error) =>
      finish({
        statusCode: null,
        body: null,
        error: deadline.aborted ? `timeout after ${options.timeoutMs} ms` : error.message,
      }),
    );
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const end = () =>
        finish({
          statusCode: response.statusCode ?? null,
          body: Buffer.concat(chunks).subarray(0, ANSWER_LIMIT).toString("utf8"),
          error: null,
        });
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= ANSWER_LIMIT) end();
      });
      response.on("end", end);
      response.on("error", (error) =>
        finish({
          statusCode: response.statusCode ?? null,
          body: Buffer.concat(chunks).subarray(0, ANSWER_LIMIT).toString("utf8"),
          error: deadline.aborted ? `timeout after ${options.timeoutMs} ms` : error.message,
        }),
      );
    });
    request.end(body);
  });
}
