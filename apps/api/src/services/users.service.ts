// Registration, activation, sign-in and the user's own view. No HTTP, no tRPC: plain functions over
// the database that throw AppError.
import type { TAuthInput, TAuthOutput, TMe, TRegisterInput } from "@shop/contracts";
import { type Db, type PrismaClient, type SqlClient, statement } from "@shop/db";
import { transactionJson } from "./mappers.ts";
import { DUMMY_HASH, hashPassword, verifyPassword } from "../auth/passwords.ts";
import { createOpaqueToken, hashOpaqueToken, signAccessToken } from "../auth/tokens.ts";
import type { AppConfig } from "../env.ts";
import { AppError, isUniqueViolation } from "../errors.ts";

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

export const authUserById = statement<{
  id: string;
  numeric_id: string;
  login: string;
  is_admin: boolean;
  is_active: boolean;
  token_version: number;
}>(
  "auth.user-by-id",
  `SELECT id::text, numeric_id::text, login, is_admin, is_active, token_version FROM users WHERE id = $1::uuid`,
);

/** The signed-in user's current state, read at every authenticated request (one prepared statement). */
export async function loadAuthUser(sql: SqlClient, id: string): Promise<AuthUser | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [row] = await sql.query(authUserById, [id]);
  return row
    ? {
        id: row.id,
        numericId: Number(row.numeric_id),
        login: row.login,
        isAdmin: row.is_admin,
        isActive: row.is_active,
        tokenVersion: row.token_version,
      }
    : null;
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

/**
 * The user's own page in one statement: the user, the accounts and the latest 50 ledger entries
 * (newest first), the lists built as JSON by PostgreSQL in the API's shapes. $1 = user id.
 */
const meStatement = statement<{
  id: string;
  numeric_id: string;
  login: string;
  is_admin: boolean;
  is_active: boolean;
  accounts: TMe["accounts"];
  transactions: TMe["transactions"];
}>(
  "users.me",
  `SELECT u.id::text, u.numeric_id::text, u.login, u.is_admin, u.is_active,
          COALESCE((SELECT json_agg(json_build_object('id', a.id, 'numericId', a.numeric_id, 'balance', a.balance::text)
                                    ORDER BY a.numeric_id)
                      FROM accounts a WHERE a.user_id = u.id), '[]') AS accounts,
          COALESCE((SELECT json_agg(${transactionJson("e.numeric_id")} ORDER BY e.seq DESC)
                      FROM (SELECT le.*, a.numeric_id
                              FROM ledger_entries le JOIN accounts a ON a.id = le.account_id
                             WHERE a.user_id = u.id
                             ORDER BY le.seq DESC
                             LIMIT 50) e), '[]') AS transactions
     FROM users u
    WHERE u.id = $1::uuid`,
);

export async function getMe({ sql }: Pick<Db, "sql">, userId: string): Promise<TMe> {
  const [row] = await sql.query(meStatement, [userId]);
  if (!row) throw new AppError("NOT_FOUND", "User not found");
  return {
    id: row.id,
    numericId: Number(row.numeric_id),
    login: row.login,
    isAdmin: row.is_admin,
    isActive: row.is_active,
    accounts: row.accounts,
    transactions: row.transactions,
  };
}
