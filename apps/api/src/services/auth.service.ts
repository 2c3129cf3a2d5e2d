// Registration, activation, sign-in and the bearer check every authenticated call makes. No HTTP, no
// tRPC: plain functions over the repositories that throw AppError.
import { type TAuthInput, type TAuthOutput, type TRegisterInput, ZLoginSchema } from "@shop/contracts";
import { dummyHash, hashPassword, verifyPassword } from "../auth/passwords.ts";
import { createOpaqueToken, hashOpaqueToken, signAccessToken, verifyAccessToken } from "../auth/tokens.ts";
import type { Deps } from "../deps.ts";
import { AppError, isUniqueViolation } from "../errors.ts";
import { transaction } from "../repositories/transaction.ts";
import { type AuthUser, LOGIN_UNIQUE_INDEX, usersRepository } from "../repositories/users.repository.ts";
import { announceUser } from "./events.service.ts";

export type { AuthUser };

const loginTaken = (cause?: unknown) => new AppError("LOGIN_TAKEN", "This login is already taken", { cause });

/**
 * Registration: limited per client address (429 RATE_LIMITED), before any database or bcrypt work. A
 * login whose registration was never activated and whose link expired is free again.
 */
export async function register({ db, config, loginLimiter }: Deps, input: TRegisterInput, clientIp = "internal") {
  await loginLimiter.registration(clientIp);
  const users = usersRepository(db);
  await users.releaseExpiredRegistration(input.login);
  if (await users.byLogin(input.login)) throw loginTaken();
  const passwordHash = await hashPassword(input.password);
  const activation = createOpaqueToken();
  try {
    // The new user and its event (user.registered) commit together.
    const user = await transaction(db, async (tx) => {
      const inserted = await usersRepository({ sql: tx }).insert({
        login: input.login,
        passwordHash,
        isAdmin: false,
        isActive: false,
        activation: {
          tokenHash: activation.hash,
          expiresAt: new Date(Date.now() + config.activationTtlHours * 3600_000),
        },
      });
      await announceUser(tx, "user.registered", inserted.id);
      return inserted;
    });
    return { ...user, activationUrl: `${config.publicUrl}/users/activate/${activation.token}` };
  } catch (error) {
    // Two registrations racing for one login: the database's case-insensitive index decides.
    if (isUniqueViolation(error, LOGIN_UNIQUE_INDEX)) throw loginTaken(error);
    throw error;
  }
}

export async function activate({ db }: Deps, token: string) {
  // The activation and its event (user.activated) commit together.
  const result = await transaction(db, async (tx) => {
    const activated = await usersRepository({ sql: tx }).activate(hashOpaqueToken(token));
    if (typeof activated === "object") await announceUser(tx, "user.activated", activated.id);
    return activated;
  });
  if (result === "expired") throw new AppError("ACTIVATION_LINK_EXPIRED", "This activation link has expired");
  if (result === "invalid") {
    throw new AppError("ACTIVATION_LINK_INVALID", "This activation link is invalid or has already been used");
  }
  return { ...result, isActive: true as const, message: "Account activated: you can sign in now" };
}

/**
 * Sign-in: limited per (login, address) and per address (429 RATE_LIMITED), then one look-up and a bcrypt
 * compare. The login goes through the registration schema first: logins are ASCII, so JavaScript's
 * toLowerCase (the limiter's key) and PostgreSQL's lower() (the look-up) agree; anything else (e.g.
 * `adm\u0130n`, which lower() reads as "admin") can name no user and answers 401.
 */
export async function signIn(
  { db, config, loginLimiter }: Deps,
  input: TAuthInput,
  clientIp: string,
): Promise<TAuthOutput> {
  const login = ZLoginSchema.safeParse(input.login);
  await loginLimiter.attempt(login.success ? login.data.toLowerCase() : `invalid:${input.login}`, clientIp);
  const user = login.success ? await usersRepository(db).byLogin(login.data) : null;
  // Compare against a dummy hash for unknown logins, so the answer's timing does not reveal them.
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash()));
  if (!user || !passwordOk) throw new AppError("INVALID_CREDENTIALS", "Invalid login or password");
  if (!user.isActive) {
    // Never activated and the link still pending; a disable retires the link (admin-users.service).
    throw !user.activated && user.activationPending
      ? new AppError(
          "NOT_ACTIVATED",
          "Account not activated yet: follow the activation link you received at registration",
        )
      : new AppError("ACCOUNT_DISABLED", "Account is disabled: contact an administrator");
  }
  await loginLimiter.succeeded(login.success ? login.data.toLowerCase() : input.login, clientIp);
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The user an `Authorization: Bearer <JWT>` header stands for, as the database has them now: the
 * token's version must equal the user's (disabling or a password reset revokes issued tokens at once)
 * and the user must be active. The admin role comes from the database, never from the token.
 */
export async function userFromBearer({ db, config }: Pick<Deps, "db" | "config">, header: string | undefined) {
  if (!header) throw new AppError("AUTH_REQUIRED", "Authorization: Bearer <token> is required");
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw new AppError("AUTH_REQUIRED", "Authorization header must be 'Bearer <token>'");
  const verified = verifyAccessToken(match[1]!, config.jwtSecret);
  if (!verified.ok) {
    throw verified.reason === "expired"
      ? new AppError("TOKEN_EXPIRED", "Token expired: sign in again")
      : new AppError("TOKEN_INVALID", "Invalid token");
  }
  const user = UUID.test(verified.claims.userId)
    ? await usersRepository(db).authUserById(verified.claims.userId)
    : null;
  if (!user || user.tokenVersion !== verified.claims.tokenVersion) {
    throw new AppError("TOKEN_REVOKED", "Token revoked: sign in again");
  }
  if (!user.isActive) throw new AppError("ACCOUNT_DISABLED", "Account is disabled");
  return user;
}

/** Who the bearer is, for a client deciding what to show (the admin SPA's sign-in check). */
export function session(user: AuthUser) {
  return { id: user.id, numericId: user.numericId, login: user.login, isAdmin: user.isAdmin };
}
