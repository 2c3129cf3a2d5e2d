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

export function verifyAccessToken(token: string, secret: string): VerifyResult {
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
    return { ok: true, claims: { userId: payload.sub, tokenVersion: payload.ver as number } };
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
