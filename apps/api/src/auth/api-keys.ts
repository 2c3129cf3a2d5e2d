// API keys: `shop_sk_` + 32 random bytes (base64url, 43 characters). The key is a random secret of 256
// bits, not a password: a fast hash (sha256) is as safe as a slow one against guessing and costs about
// a microsecond per call, so every call can look its key up by hash (a unique index) and a revocation
// is seen by every process at the next call, with no cache to invalidate.
import { randomBytes } from "node:crypto";
import { API_KEY_PREFIX } from "@shop/contracts";
import { hashOpaqueToken } from "./tokens.ts";

/** How many characters of a key lists show: the prefix and four of the random part. */
const SHOWN = API_KEY_PREFIX.length + 4;

/** The shape of a key this API issues (a bearer that has it is never tried as a JWT). */
const KEY = /^shop_sk_[A-Za-z0-9_-]{43}$/;

export function createApiKey(): { key: string; hash: string; prefix: string } {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { key, hash: hashOpaqueToken(key), prefix: key.slice(0, SHOWN) };
}

/** Whether a bearer credential is meant as an API key (its prefix), whatever else is wrong with it. */
export function isApiKey(credential: string): boolean {
  return credential.startsWith(API_KEY_PREFIX);
}

/** The hash a well-formed key is stored under, or null for text that cannot be one of ours. */
export function apiKeyHash(credential: string): string | null {
  return KEY.test(credential) ? hashOpaqueToken(credential) : null;
}
