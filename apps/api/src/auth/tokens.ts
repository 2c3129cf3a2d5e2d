// Access tokens: JWT, HS256 only (the algorithm is pinned when verifying, so `alg: none` or RS/HS
// confusion is refused), subject = user id, `ver` = the user's token version at issue time.
import { createHash, createSecretKey, type KeyObject, randomBytes } from "node:crypto";
import jwt from "jsonwebtoken";

export interface TokenClaims {
  userId: string;
  tokenVersion: number;
}

// jsonwebtoken, given a string secret, first tries to read it as a PEM public key on every call
// (~0.5 ms of CPU, caught and discarded). A KeyObject made once skips that.
const keys = new Map<string, KeyObject>();
function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, "utf8"));
    keys.set(secret, key);
  }
  return key;
}

export function signAccessToken(claims: TokenClaims, secret: string, ttlSeconds: number): string {
  return jwt.sign({ ver: claims.tokenVersion }, keyFor(secret), {
    algorithm: "HS256",
    subject: claims.userId,
    expiresIn: ttlSeconds,
  });
}

export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; reason: "expired" | "invalid" };

/**
 * Tokens whose signature was already checked, per secret: a client sends the same token with every
 * call for its whole lifetime, and its signature and claims cannot change, so the check (about 11 µs of
 * jsonwebtoken per call here: decoding, JSON parsing, HMAC) is done once. Only tokens that passed are
 * kept, so made-up tokens cannot fill it; expiry is still checked at every use, exactly as
 * jsonwebtoken checks it; the oldest entry goes when it is full. What the database says about the user
 * (active, token version) is read per call as before.
 */
const VERIFIED_MAX = 10_000;
const verified = new Map<string, Map<string, TokenClaims & { exp: number }>>();

export function verifyAccessToken(token: string, secret: string): VerifyResult {
  let cache = verified.get(secret);
  if (!cache) verified.set(secret, (cache = new Map()));
  const known = cache.get(token);
  if (known) {
    if (Math.floor(Date.now() / 1000) >= known.exp) {
      cache.delete(token);
      return { ok: false, reason: "expired" };
    }
    return { ok: true, claims: { userId: known.userId, tokenVersion: known.tokenVersion } };
  }
  const result = verifySignature(token, secret);
  if (result.ok) {
    if (cache.size >= VERIFIED_MAX) cache.delete(cache.keys().next().value!);
    cache.set(token, { ...result.claims, exp: result.exp });
    return { ok: true, claims: result.claims };
  }
  return result;
}

function verifySignature(
  token: string,
  secret: string,
): (VerifyResult & { ok: false }) | { ok: true; claims: TokenClaims; exp: number } {
  try {
    const payload = jwt.verify(token, keyFor(secret), { algorithms: ["HS256"] });
    // jsonwebtoken accepts a token without `exp` as never expiring: every token this API signs has one.
    if (
      typeof payload !== "object" ||
      typeof payload.sub !== "string" ||
      !Number.isInteger(payload.ver) ||
      typeof payload.exp !== "number"
    ) {
      return { ok: false, reason: "invalid" };
    }
    return { ok: true, claims: { userId: payload.sub, tokenVersion: payload.ver as number }, exp: payload.exp };
  } catch (error) {
    return { ok: false, reason: error instanceof jwt.TokenExpiredError ? "expired" : "invalid" };
  }
}

/** A random single-use token (for activation links) and the hash stored in its place. */
export function createOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashOpaqueToken(token) };
}

export function hashOpaqueToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
