// Makes sure an administrator exists: at start from ADMIN_LOGIN / ADMIN_PASSWORD, or by hand with
// `npm run admin -- --login <login> --password <password>`.
import type { Db } from "@shop/db";
import { hashPassword } from "../auth/passwords.ts";
import { isUniqueViolation } from "../errors.ts";
import { LOGIN_UNIQUE_INDEX, usersRepository } from "../repositories/users.repository.ts";
import { type Audited, audit, SYSTEM_ACTOR } from "./audit.service.ts";

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
  audited: Audited = { actor: SYSTEM_ACTOR, requestId: null },
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
    if (!user) return ensureAdmin(db, input, audited);
    await audit(db, audited, {
      action: "admin.bootstrap",
      targetType: "user",
      targetId: user.id,
      after: { login: user.login, isAdmin: true, isActive: true },
    });
    return { action: "created", id: user.id };
  }
  const needsPromotion = !existing.isAdmin || !existing.isActive;
  if (!needsPromotion && !input.resetPassword) return { action: "unchanged", id: existing.id };
  await users.promote(existing.id, input.resetPassword ? await hashPassword(input.password) : null);
  // The password itself never reaches the log: only that it was replaced.
  if (needsPromotion) {
    await audit(db, audited, {
      action: "admin.promote",
      targetType: "user",
      targetId: existing.id,
      before: { isAdmin: existing.isAdmin, isActive: existing.isActive },
      after: { isAdmin: true, isActive: true },
    });
  }
  if (input.resetPassword) {
    await audit(db, audited, {
      action: "admin.password_reset",
      targetType: "user",
      targetId: existing.id,
      after: { passwordChanged: true },
    });
  }
  return { action: needsPromotion ? "promoted" : "updated", id: existing.id };
}
