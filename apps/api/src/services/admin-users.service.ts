// Administration of users: list, inspect, enable and disable.
import type { TUserDetail, TUserSummary } from "@shop/contracts";
import type { Db, Prisma, PrismaClient } from "@shop/db";
import { AppError } from "../errors.ts";
import { accountSelect, escapeLike, listTransactions, toAccount } from "./mappers.ts";

const userSummarySelect = {
  id: true,
  numericId: true,
  login: true,
  isActive: true,
  isAdmin: true,
  createdAt: true,
  accounts: { select: accountSelect, orderBy: { numericId: "asc" } },
} satisfies Prisma.UserSelect;

function toUserSummary(u: Prisma.UserGetPayload<{ select: typeof userSummarySelect }>): TUserSummary {
  return {
    ...u,
    numericId: Number(u.numericId),
    createdAt: u.createdAt.toISOString(),
    accounts: u.accounts.map(toAccount),
  };
}

export async function listUsers(
  prisma: PrismaClient,
  input: { limit: number; offset: number; search?: string | undefined; isActive?: boolean | undefined },
) {
  const where: Prisma.UserWhereInput = {
    ...(input.search ? { login: { contains: escapeLike(input.search), mode: "insensitive" } } : {}),
    ...(input.isActive === undefined ? {} : { isActive: input.isActive }),
  };
  const [rows, total] = await Promise.all([
    prisma.user.findMany({
      where,
      select: userSummarySelect,
      orderBy: { numericId: "asc" },
      take: input.limit,
      skip: input.offset,
    }),
    prisma.user.count({ where }),
  ]);
  return { items: rows.map(toUserSummary), total, limit: input.limit, offset: input.offset };
}

export async function getUser({ prisma, sql }: Pick<Db, "prisma" | "sql">, id: string): Promise<TUserDetail> {
  const user = await prisma.user.findUnique({ where: { id }, select: userSummarySelect });
  if (!user) throw new AppError("NOT_FOUND", "User not found");
  const recent = await listTransactions(sql, { userId: id }, { limit: 50, offset: 0 });
  return { ...toUserSummary(user), transactions: recent.items };
}

export async function listUserTransactions(
  { prisma, sql }: Pick<Db, "prisma" | "sql">,
  input: { id: string; limit: number; offset: number },
) {
  if (!(await prisma.user.findUnique({ where: { id: input.id }, select: { id: true } }))) {
    throw new AppError("NOT_FOUND", "User not found");
  }
  return listTransactions(sql, { userId: input.id }, input);
}

/**
 * Enables or disables a user. Disabling bumps the token version, so tokens already issued stop
 * working at once, and retires a pending activation link; enabling also activates an account whose
 * link was never followed.
 */
export async function setUserActive(
  db: Pick<Db, "prisma" | "sql">,
  actorId: string,
  input: { id: string; isActive: boolean },
) {
  const { prisma } = db;
  const current = await prisma.user.findUnique({ where: { id: input.id }, select: { id: true, activatedAt: true } });
  if (!current) throw new AppError("NOT_FOUND", "User not found");
  // Compared with the stored id: the path may spell the same UUID in upper case.
  if (current.id === actorId && !input.isActive) throw new AppError("BAD_REQUEST", "You cannot disable yourself");
  await prisma.user.update({
    where: { id: input.id },
    data: input.isActive
      ? {
          isActive: true,
          activatedAt: current.activatedAt ?? new Date(),
          activationTokenHash: null,
          activationExpiresAt: null,
        }
      : // A pending activation link must not undo the disable: it is retired with it.
        { isActive: false, tokenVersion: { increment: 1 }, activationTokenHash: null, activationExpiresAt: null },
  });
  return getUser(db, input.id);
}
