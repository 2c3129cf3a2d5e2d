// Users: sign-in look-ups, registration and activation, the user's own page and the admin's views.
// Logins are unique case-insensitively (UNIQUE INDEX users_login_lower_key ON users (lower(login))), so
// every look-up by login is `lower(login) = lower($1)` and uses that index.
import {
  type TAccount,
  type TListUsersInput,
  type TMe,
  type TTransaction,
  type TUserStatus,
  type TUserSummary,
  type USER_SORTS,
} from "@shop/contracts";
import { statement } from "@shop/db";
import { accountsJsonOf, recentTransactionsJsonOf } from "./ledger.repository.ts";
import { always, containsPattern, iso, type KeysetListing, keysetPage, perDb, when } from "./shared.ts";

/** The unique index that makes logins unique case-insensitively. */
export const LOGIN_UNIQUE_INDEX = "users_login_lower_key";

export interface AuthUser {
  id: string;
  numericId: number;
  login: string;
  isAdmin: boolean;
  isActive: boolean;
  tokenVersion: number;
}

interface AuthUserRow {
  id: string;
  numeric_id: string;
  login: string;
  is_admin: boolean;
  is_active: boolean;
  token_version: number;
}

const AUTH_COLUMNS = `id::text, numeric_id::text, login, is_admin, is_active, token_version`;

const toAuthUser = (row: AuthUserRow): AuthUser => ({
  id: row.id,
  numericId: Number(row.numeric_id),
  login: row.login,
  isAdmin: row.is_admin,
  isActive: row.is_active,
  tokenVersion: row.token_version,
});

/** The signed-in user's current state, read at every authenticated request. */
export const authUserByIdStatement = statement<AuthUserRow>(
  "users.auth-by-id",
  `SELECT ${AUTH_COLUMNS} FROM users WHERE id = $1::uuid`,
);

/** Everything a sign-in decides on, in one round trip: $1 the login as typed. */
const byLoginStatement = statement<
  AuthUserRow & { password_hash: string; activated: boolean; activation_pending: boolean }
>(
  "users.by-login",
  `SELECT ${AUTH_COLUMNS}, password_hash, activated_at IS NOT NULL AS activated,
          activation_token_hash IS NOT NULL AS activation_pending
     FROM users WHERE lower(login) = lower($1::text)`,
);

/** A new user: $1 login, $2 password hash, $3 admin, $4 active, $5 activation token hash, $6 its expiry. */
const insertStatement = statement<{ id: string; numeric_id: string; login: string; is_active: boolean }>(
  "users.insert",
  `INSERT INTO users (login, password_hash, is_admin, is_active, activated_at, activation_token_hash,
                      activation_expires_at)
   VALUES ($1::text, $2::text, $3::bool, $4::bool, CASE WHEN $4::bool THEN now() END, $5::text, $6::timestamptz)
   RETURNING id::text, numeric_id::text, login, is_active`,
);

/**
 * Frees a login whose registration was never activated and whose link has expired: $1 the login. A
 * user the provider already credited (an account exists) is kept.
 */
const releaseExpiredRegistrationStatement = statement<{ id: string }>(
  "users.release-expired-registration",
  `DELETE FROM users u
    WHERE lower(u.login) = lower($1::text) AND u.activated_at IS NULL AND NOT u.is_admin
      AND u.activation_expires_at < now()
      AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.user_id = u.id)
   RETURNING id::text`,
);

/** Follows an activation link: $1 the token's hash. Single use: it only matches while stored and valid. */
const activateStatement = statement<{ id: string; login: string }>(
  "users.activate",
  `UPDATE users
      SET is_active = true, activated_at = now(), activation_token_hash = NULL, activation_expires_at = NULL,
          updated_at = now()
    WHERE activation_token_hash = $1::text AND activation_expires_at >= now()
   RETURNING id::text, login`,
);

const activationExistsStatement = statement<{ expired: boolean }>(
  "users.activation-exists",
  `SELECT activation_expires_at < now() AS expired FROM users WHERE activation_token_hash = $1::text`,
);

/** Makes a user an active admin; $2 a new password hash or NULL to keep it (a new one revokes tokens). */
const promoteStatement = statement<{ id: string }>(
  "users.promote",
  `UPDATE users
      SET is_admin = true, is_active = true, activated_at = COALESCE(activated_at, now()),
          password_hash = COALESCE($2::text, password_hash),
          token_version = token_version + CASE WHEN $2::text IS NULL THEN 0 ELSE 1 END,
          updated_at = now()
    WHERE id = $1::uuid
   RETURNING id::text`,
);

/**
 * Enables ($2 true) or disables ($2 false) a user. Disabling bumps the token version, so tokens already
 * issued stop working at once; either way a pending activation link is retired (enabling activates).
 */
const setActiveStatement = statement<{ id: string }>(
  "users.set-active",
  `UPDATE users
      SET is_active = $2::bool,
          activated_at = CASE WHEN $2::bool THEN COALESCE(activated_at, now()) ELSE activated_at END,
          token_version = token_version + CASE WHEN $2::bool THEN 0 ELSE 1 END,
          activation_token_hash = NULL, activation_expires_at = NULL, updated_at = now()
    WHERE id = $1::uuid
   RETURNING id::text`,
);

/**
 * Revokes every access token of a user ($1) by bumping the token version every authenticated call
 * compares with its token's (auth.service userFromBearer reads it per call, in every process). With
 * $2, the password hash becomes $2, only while it is still $3 (the hash the current password was
 * checked against: two concurrent changes cannot both pass).
 */
const revokeTokensStatement = statement<{ id: string }>(
  "users.revoke-tokens",
  `UPDATE users
      SET token_version = token_version + 1, password_hash = COALESCE($2::text, password_hash), updated_at = now()
    WHERE id = $1::uuid AND ($3::text IS NULL OR password_hash = $3::text)
   RETURNING id::text`,
);

const meStatement = statement<AuthUserRow & { accounts: TAccount[]; transactions: TTransaction[] }>(
  "users.me",
  `SELECT ${AUTH_COLUMNS}, ${accountsJsonOf("u.id")} AS accounts, ${recentTransactionsJsonOf("u.id")} AS transactions
     FROM users u WHERE u.id = $1::uuid`,
);

/**
 * A user's status as SQL over the row `u`: active; pending = never activated and a link outstanding
 * (expired or not: an administrator may send a new one); otherwise disabled (by an administrator,
 * possibly before activation: disabling retires the link).
 */
export const statusOf = (u: string) =>
  `CASE WHEN ${u}.is_active THEN 'active'
        WHEN ${u}.activated_at IS NULL AND ${u}.activation_token_hash IS NOT NULL THEN 'pending'
        ELSE 'disabled' END`;

interface SummaryRow {
  id: string;
  numeric_id: string;
  login: string;
  is_active: boolean;
  status: TUserStatus;
  is_admin: boolean;
  created_at: string;
  accounts: TAccount[];
  total_balance: string;
}

/** The sum of the balances of the user `u` (NUMERIC with two decimals: the sum of NUMERIC(20,2) keeps the scale). */
const totalBalanceOf = (u: string) =>
  `COALESCE((SELECT sum(tb.balance) FROM accounts tb WHERE tb.user_id = ${u}.id), 0.00)`;

const SUMMARY_COLUMNS = `u.id::text, u.numeric_id::text, u.login, u.is_active, ${statusOf("u")} AS status, u.is_admin,
       ${iso("u.created_at")} AS created_at, ${accountsJsonOf("u.id")} AS accounts,
       ${totalBalanceOf("u")}::text AS total_balance`;

const toUserSummary = (row: SummaryRow): TUserSummary => ({
  id: row.id,
  numericId: Number(row.numeric_id),
  login: row.login,
  isActive: row.is_active,
  status: row.status,
  isAdmin: row.is_admin,
  createdAt: row.created_at,
  accounts: row.accounts,
  totalBalance: row.total_balance,
});

/** statusOf() = each status, as conditions a planner can match to an index. */
const STATUS_CONDITIONS: Record<TUserStatus, string> = {
  active: "u.is_active",
  pending: "NOT u.is_active AND u.activated_at IS NULL AND u.activation_token_hash IS NOT NULL",
  disabled: "NOT u.is_active AND NOT (u.activated_at IS NULL AND u.activation_token_hash IS NOT NULL)",
};

/**
 * Which users the admin's list shows: only the filters given. `search` is an ILIKE pattern on the login,
 * served by the trigram index users_login_trgm_idx from 3 characters on (a rare substring: a bitmap of its
 * matches; a common one: the planner walks the sort's index instead); 1–2 characters have no trigram and
 * walk the sort's index, filtered (docs/scale.md).
 */
const listConditions = (input: TListUsersInput) => [
  when("search", containsPattern(input.search), (p) => `u.login ILIKE ${p}::text`),
  when("active", input.isActive ?? null, (p) => `u.is_active = ${p}::bool`),
  // Each status as conditions on columns, not on statusOf()'s CASE: the inactive ones (pending, disabled)
  // are a partial index's rows (users_inactive_idx).
  input.status === undefined ? null : always(`status-${input.status}`, STATUS_CONDITIONS[input.status]),
];

/**
 * What each sort orders by, then the numeric id (unique), both in the sort's direction: one index per
 * sort serves both directions and every depth. Logins compare lowercased, byte by byte (COLLATE "C"), so
 * the order is the same on every server whatever its default collation.
 */
const USERS: KeysetListing<(typeof USER_SORTS)[number]> = {
  name: "users",
  select: SUMMARY_COLUMNS,
  from: "users u JOIN user_balances ub ON ub.user_id = u.id",
  rowId: "u.id",
  countFrom: "users u",
  sorts: {
    login: [
      { expr: `lower(u.login) COLLATE "C"`, cast: "text" },
      { expr: "u.numeric_id", cast: "int8" },
    ],
    joined: [
      { expr: "u.created_at", cast: "timestamptz" },
      { expr: "u.numeric_id", cast: "int8" },
    ],
    // The total as of the roll-up's watermark (user_balances, kept by rollups.repository.ts a minute or so
    // behind): summing every user's accounts to sort would read them all. Each row shows its live total.
    balance: [
      { expr: "ub.total", cast: "numeric" },
      { expr: "ub.numeric_id", cast: "int8" },
    ],
  },
};

const detailStatement = statement<SummaryRow & { transactions: TTransaction[] }>(
  "users.detail",
  `SELECT ${SUMMARY_COLUMNS}, ${recentTransactionsJsonOf("u.id")} AS transactions FROM users u WHERE u.id = $1::uuid`,
);

/**
 * A new activation link for a pending user: $1 id, $2 the new token's hash, $3 its expiry. The previous
 * link stops working (its hash is replaced). No row = not pending (or no such user).
 */
const renewActivationStatement = statement<{ id: string }>(
  "users.renew-activation",
  `UPDATE users u SET activation_token_hash = $2::text, activation_expires_at = $3::timestamptz, updated_at = now()
    WHERE u.id = $1::uuid AND ${statusOf("u")} = 'pending'
   RETURNING u.id::text`,
);

const existsStatement = statement<{ id: string }>("users.exists", `SELECT id::text FROM users WHERE id = $1::uuid`);

const existsByNumericIdStatement = statement<{ id: string }>(
  "users.exists-by-numeric-id",
  `SELECT id::text FROM users WHERE numeric_id = $1::int8`,
);

export const usersRepository = perDb(({ sql }) => ({
  async authUserById(id: string): Promise<AuthUser | null> {
    const [row] = await sql.query(authUserByIdStatement, [id]);
    return row ? toAuthUser(row) : null;
  },

  /**
   * Every token of the user stops working; with `password`, the hash is replaced too, if it is still
   * `expectedHash`. False when no row changed (no such user, or the password changed meanwhile).
   */
  async revokeTokens(id: string, password?: { hash: string; expectedHash: string }): Promise<boolean> {
    const rows = await sql.query(revokeTokensStatement, [id, password?.hash ?? null, password?.expectedHash ?? null]);
    return rows.length === 1;
  },

  /** The user whose login matches case-insensitively, with what a sign-in needs, or null. */
  async byLogin(login: string) {
    const [row] = await sql.query(byLoginStatement, [login]);
    return row
      ? {
          ...toAuthUser(row),
          passwordHash: row.password_hash,
          activated: row.activated,
          activationPending: row.activation_pending,
        }
      : null;
  },

  /** Inserts a user; a taken login fails with a unique violation of LOGIN_UNIQUE_INDEX. */
  async insert(u: {
    login: string;
    passwordHash: string;
    isAdmin: boolean;
    isActive: boolean;
    activation: { tokenHash: string; expiresAt: Date } | null;
  }) {
    const [row] = await sql.query(insertStatement, [
      u.login,
      u.passwordHash,
      u.isAdmin,
      u.isActive,
      u.activation?.tokenHash ?? null,
      u.activation?.expiresAt.toISOString() ?? null,
    ]);
    return { id: row!.id, numericId: Number(row!.numeric_id), login: row!.login, isActive: row!.is_active };
  },

  /** Activates the user holding this link; `expired` / `invalid` when it does not match. */
  /** True when an expired, never-activated registration of this login was removed. */
  async releaseExpiredRegistration(login: string): Promise<boolean> {
    return (await sql.query(releaseExpiredRegistrationStatement, [login])).length > 0;
  },

  async activate(tokenHash: string): Promise<{ id: string; login: string } | "expired" | "invalid"> {
    const [row] = await sql.query(activateStatement, [tokenHash]);
    if (row) return row;
    const [pending] = await sql.query(activationExistsStatement, [tokenHash]);
    return pending?.expired ? "expired" : "invalid";
  },

  async promote(id: string, newPasswordHash: string | null) {
    await sql.query(promoteStatement, [id, newPasswordHash]);
  },

  /** True when the user exists. */
  async setActive(id: string, isActive: boolean): Promise<boolean> {
    return (await sql.query(setActiveStatement, [id, isActive])).length > 0;
  },

  /** True when the user was pending and now holds this new link. */
  async renewActivation(id: string, link: { tokenHash: string; expiresAt: Date }): Promise<boolean> {
    return (await sql.query(renewActivationStatement, [id, link.tokenHash, link.expiresAt.toISOString()])).length > 0;
  },

  async exists(id: string): Promise<boolean> {
    return (await sql.query(existsStatement, [id])).length > 0;
  },

  /** True when a user has this numeric id (the provider's user_id). */
  async existsByNumericId(numericId: number): Promise<boolean> {
    return (await sql.query(existsByNumericIdStatement, [String(numericId)])).length > 0;
  },

  /** The user's own page: the user, the accounts and the latest 50 ledger entries, in one statement. */
  async me(id: string): Promise<TMe | null> {
    const [row] = await sql.query(meStatement, [id]);
    if (!row) return null;
    const { tokenVersion: _, ...user } = toAuthUser(row);
    return { ...user, accounts: row.accounts, transactions: row.transactions };
  },

  async list(input: TListUsersInput) {
    const { rows, ...rest } = await keysetPage<SummaryRow, (typeof USER_SORTS)[number]>(
      sql,
      USERS,
      listConditions(input),
      input.sort,
      input.order,
      input,
    );
    return { items: rows.map(toUserSummary), ...rest };
  },

  /** A user with accounts and the latest 50 ledger entries, or null. */
  async detail(id: string) {
    const [row] = await sql.query(detailStatement, [id]);
    return row ? { ...toUserSummary(row), transactions: row.transactions } : null;
  },
}));
