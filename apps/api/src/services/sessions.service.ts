// Ending sessions: signing out and changing one's password. Access tokens are JWTs that carry the
// user's token version (`ver`); every authenticated call reads the user's current version from the
// database and refuses a token that carries another one (auth.service userFromBearer). Bumping the
// version therefore revokes every token of the user at once, in every server process, whatever
// tokens.ts remembers: it only remembers that a signature was valid, never that a user was.
import type { TChangePasswordInput } from "@shop/contracts";
import { hashPassword, verifyPassword } from "../auth/passwords.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { transaction } from "../repositories/transaction.ts";
import { type AuthUser, usersRepository } from "../repositories/users.repository.ts";
import { type Audited, audit } from "./audit.service.ts";

/** The audit log's actor for a user acting on their own account. */
export function selfAudited(user: AuthUser, requestId: string | null | undefined): Audited {
  return { actor: { type: "user", id: user.id, login: user.login }, requestId: requestId ?? null };
}

/** Signs the user out everywhere: every access token of theirs stops working. */
export async function signOut({ db }: Pick<Deps, "db">, user: AuthUser, audited: Audited): Promise<void> {
  await transaction(db, async (tx) => {
    await usersRepository({ sql: tx }).revokeTokens(user.id);
    await audit(tx, audited, { action: "user.sign_out", targetType: "user", targetId: user.id });
  });
}

const wrongPassword = () => new AppError("WRONG_PASSWORD", "The current password is wrong");

/**
 * A new password for the signed-in user. The current password is checked like a sign-in: the attempt
 * takes a point of the sign-in limits of (login, address) and of the address first (over them: 429), a
 * right password gives it back. Then every token of the user stops working, the caller's included: the
 * answer is 204 and the client signs in again with the new password.
 */
export async function changePassword(
  { db, loginLimiter }: Pick<Deps, "db" | "loginLimiter">,
  user: AuthUser,
  input: TChangePasswordInput,
  clientIp: string,
  audited: Audited,
): Promise<void> {
  const login = user.login.toLowerCase();
  await loginLimiter.attempt(login, clientIp);
  const users = usersRepository(db);
  const stored = await users.byLogin(user.login);
  if (!stored || stored.id !== user.id || !(await verifyPassword(input.currentPassword, stored.passwordHash))) {
    throw wrongPassword();
  }
  await loginLimiter.succeeded(login, clientIp);
  const hash = await hashPassword(input.newPassword);
  await transaction(db, async (tx) => {
    // Only while the hash is still the one just checked: a concurrent change wins, this one is refused.
    const changed = await usersRepository({ sql: tx }).revokeTokens(user.id, {
      hash,
      expectedHash: stored.passwordHash,
    });
    if (!changed) throw wrongPassword();
    // No secret in the log: only that the password changed.
    await audit(tx, audited, {
      action: "user.password_change",
      targetType: "user",
      targetId: user.id,
      after: { passwordChanged: true },
    });
  });
}
