// The client's address (req.ip), as Express computes it from `trust proxy` (TRUST_PROXY), except that an
// X-Forwarded-For entry that is not an IP address is ignored. Express (proxy-addr) returns the first
// untrusted entry walking from the right, whatever it is: `X-Forwarded-For: <img src=x>, 127.0.0.1`
// through a trusted proxy made `<img src=x>` the client, stored as a webhook call's sourceIp and used as
// a rate-limit key (a new key per request escapes every per-address limit). A trusted proxy appends
// the address it saw, which is always an address; anything else was written by the client.
import { isIP } from "node:net";
import type { Express, Request } from "express";

type TrustFn = (address: string, hop: number) => boolean;

/** The client's address: proxy-addr's walk over the socket's peer and the X-Forwarded-For addresses. */
export function clientAddress(req: Request): string | undefined {
  const socket = req.socket.remoteAddress;
  if (!socket) return undefined;
  const trust = req.app.get("trust proxy fn") as TrustFn;
  const header = req.headers["x-forwarded-for"];
  const forwarded = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => isIP(entry) !== 0)
    .reverse();
  const addresses = [socket, ...forwarded];
  for (let hop = 0; hop < addresses.length - 1; hop++) {
    if (!trust(addresses[hop]!, hop)) return addresses[hop];
  }
  return addresses[addresses.length - 1];
}

/** Makes `req.ip` of this app's requests the address above (every reader of req.ip gets it). */
export function useClientAddress(app: Express): void {
  Object.defineProperty(app.request, "ip", {
    configurable: true,
    enumerable: true,
    get(this: Request) {
      return clientAddress(this);
    },
  });
}
