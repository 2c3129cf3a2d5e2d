// Makes sure an administrator exists: at start from ADMIN_LOGIN / ADMIN_PASSWORD, or by hand with
// `npm run admin -- --login <login> --password <password>`. Only the CLI promotes an existing user: at
// start, a login that someone already registered is refused (it would hand them the admin role with
// their own password).
import type { Db } from "@shop/db";
import { hashPassword } from "../auth/passwords.ts";
import { isUniqueViolation } from "../errors.ts";
import { transaction } from "../repositories/transaction.ts";
import { LOGIN_UNIQUE_INDEX, usersRepository } from "../repositories/users.repository.ts";
import { type Audited, audit, SYSTEM_ACTOR } from "./audit.service.ts";

/** Start-up found ADMIN_LOGIN taken by a user who is not an admin. */
export class AdminLoginTakenError extends Error {
  constructor(login: string) {
    super(
      `ADMIN_LOGIN "${login}" belongs to an existing user who is not an administrator: refusing to make them ` +
        `admin at start. Choose another ADMIN_LOGIN, or promote that user deliberately with ` +
        `\`npm run admin -- --login ${login} --password <new password>\`.`,
    );
    this.name = "AdminLoginTakenError";
  }
}

export interface EnsureAdminResult {
  action: "created" | "promoted" | "unchanged" | "updated";
  id: string;
}

/**
 * Creates the admin when the login is free. An existing admin is left as it is at start; the CLI
 * (`resetPassword`) makes the user an active admin with the given password, promoting a non-admin.
 * At start, an existing non-admin is refused (AdminLoginTakenError): promotion is the CLI's job.
 */
export async function ensureAdmin(
  db: Pick<Db, "sql">,
  input: { login: string; password: string; resetPassword?: boolean },
  audited: Audited = { actor: SYSTEM_ACTOR, requestId: null },
): Promise<EnsureAdminResult> {
  const existing = await usersRepository(db).byLogin(input.login);
  if (!existing) {
    // Hashed before the transaction: bcrypt's ~100 ms would otherwise hold a connection open.
    const passwordHash = await hashPassword(input.password);
    const user = await transaction(db, async (tx) => {
      const created = await usersRepository({ sql: tx }).insert({
        login: input.login,
        passwordHash,
        isAdmin: true,
        isActive: true,
        activation: null,
      });
      await audit(tx, audited, {
        action: "admin.bootstrap",
        targetType: "user",
        targetId: created.id,
        after: { login: created.login, isAdmin: true, isActive: true },
      });
      return created;
    }).catch((error: unknown) => {
      // Another instance starting at the same time created it first: take the existing-user path.
      if (isUniqueViolation(error, LOGIN_UNIQUE_INDEX)) return undefined;
      throw error;
    });
    if (!user) return ensureAdmin(db, input, audited);
    return { action: "created", id: user.id };
  }
  if (!input.resetPassword) {
    if (!existing.isAdmin) throw new AdminLoginTakenError(input.login);
    // An admin that another admin disabled stays disabled: start-up re-enables nobody.
    return { action: "unchanged", id: existing.id };
  }
  const needsPromotion = !existing.isAdmin || !existing.isActive;
  const passwordHash = await hashPassword(input.password);
  await transaction(db, async (tx) => {
    await usersRepository({ sql: tx }).promote(existing.id, passwordHash);
    if (needsPromotion) {
      await audit(tx, audited, {
        action: "admin.promote",
        targetType: "user",
        targetId: existing.id,
        before: { isAdmin: existing.isAdmin, isActive: existing.isActive },
        after: { isAdmin: true, isActive: true },
      });
    }
    // The password itself never reaches the log: only that it was replaced.
    await audit(tx, audited, {
      action: "admin.password_reset",
      targetType: "user",
      targetId: existing.id,
      after: { passwordChanged: true },
    });
  });
  return { action: needsPromotion ? "promoted" : "updated", id: existing.id };
}
