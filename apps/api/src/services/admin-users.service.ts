// Administration of users: list, inspect, enable and disable.
import type { TActivationLink, TListUsersInput, TUserDetail } from "@shop/contracts";
import { createOpaqueToken } from "../auth/tokens.ts";
import { type Deps, reader } from "../deps.ts";
import { AppError } from "../errors.ts";
import { transactionsRepository } from "../repositories/transactions.repository.ts";
import { transaction } from "../repositories/transaction.ts";
import { usersRepository } from "../repositories/users.repository.ts";
import { type Audited, audit } from "./audit.service.ts";
import { announce, userSummary } from "./events.service.ts";

const notFound = () => new AppError("USER_NOT_FOUND", "User not found");

/** A page of users, filtered and sorted as asked. */
export function listUsers(deps: Deps, input: TListUsersInput) {
  return usersRepository(reader(deps)).list(input);
}

/** A user with accounts and the latest 50 ledger entries. */
export async function getUser({ db }: Deps, id: string): Promise<TUserDetail> {
  const user = await usersRepository(db).detail(id);
  if (!user) throw notFound();
  return user;
}

export async function listUserTransactions(
  deps: Deps,
  input: { id: string; limit: number; offset: number; cursor?: string | undefined },
) {
  if (!(await usersRepository(reader(deps)).exists(input.id))) throw notFound();
  return transactionsRepository(reader(deps)).history({ userId: input.id }, input);
}

/**
 * Enables or disables a user. Disabling revokes the tokens already issued at once and retires a
 * pending activation link (it must not undo the disable); enabling also activates an account whose
 * link was never followed.
 */
export async function setUserActive(
  { db, audited }: Deps & { audited: Audited },
  actorId: string,
  input: { id: string; isActive: boolean },
) {
  // Compared case-insensitively: the path may spell the actor's own UUID in upper case.
  if (input.id.toLowerCase() === actorId.toLowerCase() && !input.isActive) {
    throw new AppError("CANNOT_DISABLE_SELF", "You cannot disable yourself");
  }
  // The change and its audit entry commit together.
  return transaction(db, async (tx) => {
    const users = usersRepository({ sql: tx });
    const before = await users.detail(input.id);
    if (!before) throw notFound();
    if (!(await users.setActive(input.id, input.isActive))) throw notFound();
    const after = (await users.detail(input.id)) ?? throwNotFound();
    await audit(tx, audited, {
      action: input.isActive ? "user.enable" : "user.disable",
      targetType: "user",
      targetId: after.id,
      before: { isActive: before.isActive, status: before.status },
      after: { isActive: after.isActive, status: after.status },
    });
    if (before.isActive !== after.isActive) {
      await announce(tx, after.isActive ? "user.enabled" : "user.disabled", userSummary(after));
    }
    return after;
  });
}

/** A new activation link for a user who never activated; the previous link stops working. */
export async function createActivationLink(
  { db, config, audited }: Deps & { audited: Audited },
  id: string,
): Promise<TActivationLink> {
  const link = createOpaqueToken();
  const expiresAt = new Date(Date.now() + config.activationTtlHours * 3600_000);
  // The new link and its audit entry commit together.
  await transaction(db, async (tx) => {
    const users = usersRepository({ sql: tx });
    if (!(await users.renewActivation(id, { tokenHash: link.hash, expiresAt }))) {
      if (!(await users.exists(id))) throw notFound();
      throw new AppError("NOT_PENDING", "Only a user who never activated (status pending) can get an activation link");
    }
    // The link itself is a secret: the audit log records that one was made and until when.
    await audit(tx, audited, {
      action: "user.activation_link",
      targetType: "user",
      targetId: id.toLowerCase(),
      after: { expiresAt: expiresAt.toISOString() },
    });
  });
  return { activationUrl: `${config.publicUrl}/users/activate/${link.token}`, expiresAt: expiresAt.toISOString() };
}

function throwNotFound(): never {
  throw notFound();
}
