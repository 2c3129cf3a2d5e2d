// bcrypt with cost 10 (OWASP's floor). bcrypt reads only the first 72 bytes of its input, and passwords
// may be 128 characters of any script, so the password is first reduced with SHA-256: every
// character counts, and the input to bcrypt is 44 ASCII bytes.
import { createHash } from "node:crypto";
import bcrypt from "bcrypt";

export const BCRYPT_COST = 10;

function prehash(password: string): string {
  return createHash("sha256").update(password, "utf8").digest("base64");
}

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(prehash(password), BCRYPT_COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(prehash(password), hash);
}

/** A valid hash of a random password: compared against when a login is unknown, so timing reveals nothing. */
export const DUMMY_HASH = bcrypt.hashSync(prehash(Math.random().toString(36)), BCRYPT_COST);
