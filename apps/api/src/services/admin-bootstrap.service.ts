// Makes sure an administrator exists: at start from ADMIN_LOGIN / ADMIN_PASSWORD, or by hand with
// `npm run admin -- --login <login> --password <password>`.
import type { Db } from "@shop/db";
import { hashPassword } from "../auth/passwords.ts";
import { isUniqueViolation } from "../errors.ts";
import { LOGIN_UNIQUE_INDEX, usersRepository } from "../repositories/users.repository.ts";

export interface EnsureAdminResult {
  action: "created" | "promoted" | "unchanged" | "updated";
  id: string;
}

/**
 * Creates the admin when the login is free; otherwise makes that user an active admin. The password
 * of an existing user is replaced only when `resetPassword` is set (the CLI), never at start.
 */
export async function ensureAdmin(
  db: Pick<Db, "sql">,
  input: { login: string; password: string; resetPassword?: boolean },
): Promise<EnsureAdminResult> {
  const users = usersRepository(db);
  const existing = await users.byLogin(input.login);
  if (!existing) {
    const passwordHash = await hashPassword(input.password);
    const user = await users
      .insert({ login: input.login, passwordHash, isAdmin: true, isActive: true, activation: null })
      .catch((error: unknown) => {
        // Another instance starting at the same time created it first: take the existing-user path.
        if (isUniqueViolation(error, LOGIN_UNIQUE_INDEX)) return undefined;
        throw error;
      });
    if (!user) return ensureAdmin(db, input);
    return { action: "created", id: user.id };
  }
  const needsPromotion = !existing.isAdmin || !existing.isActive;
  if (!needsPromotion && !input.resetPassword) return { action: "unchanged", id: existing.id };
  await users.promote(existing.id, input.resetPassword ? await hashPassword(input.password) : null);
  return { action: needsPromotion ? "promoted" : "updated", id: existing.id };
}
