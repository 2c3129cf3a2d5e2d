// Makes sure an administrator exists: at start from ADMIN_LOGIN / ADMIN_PASSWORD, or by hand with
// `npm run admin -- --login <login> --password <password>`.
import type { PrismaClient } from "@shop/db";
import { hashPassword } from "../auth/passwords.ts";
import { isUniqueViolation } from "../errors.ts";
import { findByLogin } from "./users.service.ts";

export interface EnsureAdminResult {
  action: "created" | "promoted" | "unchanged" | "updated";
  id: string;
}

/**
 * Creates the admin when the login is free; otherwise makes that user an active admin. The password
 * of an existing user is replaced only when `resetPassword` is set (the CLI), never at start.
 */
export async function ensureAdmin(
  prisma: PrismaClient,
  input: { login: string; password: string; resetPassword?: boolean },
): Promise<EnsureAdminResult> {
  const existing = await findByLogin(prisma, input.login);
  if (!existing) {
    const user = await prisma.user
      .create({
        data: {
          login: input.login,
          passwordHash: await hashPassword(input.password),
          isAdmin: true,
          isActive: true,
          activatedAt: new Date(),
        },
        select: { id: true },
      })
      .catch((error: unknown) => {
        // Another instance starting at the same time created it first: take the existing-user path.
        if (isUniqueViolation(error)) return undefined;
        throw error;
      });
    if (!user) return ensureAdmin(prisma, input);
    return { action: "created", id: user.id };
  }
  const needsPromotion = !existing.isAdmin || !existing.isActive;
  if (!needsPromotion && !input.resetPassword) return { action: "unchanged", id: existing.id };
  await prisma.user.update({
    where: { id: existing.id },
    data: {
      isAdmin: true,
      isActive: true,
      ...(input.resetPassword
        ? { passwordHash: await hashPassword(input.password), tokenVersion: { increment: 1 } }
        : {}),
    },
  });
  return { action: needsPromotion ? "promoted" : "updated", id: existing.id };
}
