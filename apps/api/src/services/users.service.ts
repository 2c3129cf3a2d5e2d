// Registration, activation, sign-in and the user's own view. No HTTP, no tRPC: plain functions over
// the database that throw AppError.
import type { TAuthInput, TAuthOutput, TMe, TRegisterInput } from "@shop/contracts";
import type { PrismaClient } from "@shop/db";
import { DUMMY_HASH, hashPassword, verifyPassword } from "../auth/passwords.ts";
import { createOpaqueToken, hashOpaqueToken, signAccessToken } from "../auth/tokens.ts";
import type { AppConfig } from "../env.ts";
import { AppError, isUniqueViolation } from "../errors.ts";
import { accountSelect, listTransactions, toAccount } from "./mappers.ts";

interface Deps {
  prisma: PrismaClient;
  config: AppConfig;
}

export interface AuthUser {
  id: string;
  numericId: number;
  login: string;
  isAdmin: boolean;
  isActive: boolean;
  tokenVersion: number;
}

export async function loadAuthUser(prisma: PrismaClient, id: string): Promise<AuthUser | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const user = await prisma.user.findUnique({
    where: { id },
    select: { id: true, numericId: true, login: true, isAdmin: true, isActive: true, tokenVersion: true },
  });
  return user && { ...user, numericId: Number(user.numericId) };
}

/** The user whose login matches case-insensitively (the lower(login) unique index), or null. */
export async function findByLogin(prisma: PrismaClient, login: string) {
  const rows = await prisma.$queryRaw<
    { id: string }[]
  >`SELECT id::text FROM users WHERE lower(login) = lower(${login})`;
  return rows[0] ? prisma.user.findUnique({ where: { id: rows[0].id } }) : null;
}

export async function registerUser({ prisma, config }: Deps, input: TRegisterInput) {
  if (await findByLogin(prisma, input.login)) throw new AppError("CONFLICT", "This login is already taken");
  const passwordHash = await hashPassword(input.password);
  const activation = createOpaqueToken();
  try {
    const user = await prisma.user.create({
      data: {
        login: input.login,
        passwordHash,
        activationTokenHash: activation.hash,
        activationExpiresAt: new Date(Date.now() + config.activationTtlHours * 3600_000),
      },
      select: { id: true, numericId: true, login: true, isActive: true },
    });
    return {
      ...user,
      numericId: Number(user.numericId),
      activationUrl: `${config.publicUrl}/users/activate/${activation.token}`,
    };
  } catch (error) {
    // Two registrations racing for one login: the database's case-insensitive index decides.
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", "This login is already taken", { cause: error });
    throw error;
  }
}

export async function activateUser({ prisma }: Deps, token: string) {
  const hash = hashOpaqueToken(token);
  const user = await prisma.user.findUnique({
    where: { activationTokenHash: hash },
    select: { id: true, activationExpiresAt: true },
  });
  if (!user) throw new AppError("NOT_FOUND", "This activation link is invalid or has already been used");
  if (!user.activationExpiresAt || user.activationExpiresAt.getTime() < Date.now()) {
    throw new AppError("BAD_REQUEST", "This activation link has expired");
  }
  // Single use: the update only matches while the token is still stored.
  const { count } = await prisma.user.updateMany({
    where: { id: user.id, activationTokenHash: hash },
    data: { isActive: true, activatedAt: new Date(), activationTokenHash: null, activationExpiresAt: null },
  });
  if (count !== 1) throw new AppError("NOT_FOUND", "This activation link is invalid or has already been used");
  const activated = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { id: true, login: true } });
  return { ...activated, isActive: true as const, message: "Account activated: you can sign in now" };
}

export async function authenticate({ prisma, config }: Deps, input: TAuthInput): Promise<TAuthOutput> {
  const user = await findByLogin(prisma, input.login);
  // Compare against a dummy hash for unknown logins, so the answer's timing does not reveal them.
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !passwordOk) throw new AppError("UNAUTHORIZED", "Invalid login or password");
  if (!user.isActive) {
    throw new AppError(
      "FORBIDDEN",
      // Never activated and the link still pending; a disable retires the link (admin-users.service).
      user.activatedAt === null && user.activationTokenHash !== null
        ? "Account not activated yet: follow the activation link you received at registration"
        : "Account is disabled: contact an administrator",
    );
  }
  return {
    accessToken: signAccessToken(
      { userId: user.id, tokenVersion: user.tokenVersion },
      config.jwtSecret,
      config.jwtTtlSeconds,
    ),
    tokenType: "Bearer",
    expiresIn: config.jwtTtlSeconds,
  };
}

export async function getMe({ prisma }: Pick<Deps, "prisma">, userId: string): Promise<TMe> {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: {
      id: true,
      numericId: true,
      login: true,
      isAdmin: true,
      isActive: true,
      accounts: { select: accountSelect, orderBy: { numericId: "asc" } },
    },
  });
  const recent = await listTransactions(prisma, { userId }, { limit: 50, offset: 0 });
  return {
    ...user,
    numericId: Number(user.numericId),
    accounts: user.accounts.map(toAccount),
    transactions: recent.items,
  };
}
