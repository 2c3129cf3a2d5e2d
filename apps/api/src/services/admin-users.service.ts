// Administration of users: list, inspect, enable and disable.
import type { TUserDetail } from "@shop/contracts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { accountsRepository } from "../repositories/accounts.repository.ts";
import { usersRepository } from "../repositories/users.repository.ts";

const notFound = () => new AppError("USER_NOT_FOUND", "User not found");

export function listUsers(
  { db }: Deps,
  input: { limit: number; offset: number; search?: string | undefined; isActive?: boolean | undefined },
) {
  return usersRepository(db).list(input);
}

/** A user with accounts and the latest 50 ledger entries. */
export async function getUser({ db }: Deps, id: string): Promise<TUserDetail> {
  const user = await usersRepository(db).detail(id);
  if (!user) throw notFound();
  return user;
}

export async function listUserTransactions({ db }: Deps, input: { id: string; limit: number; offset: number }) {
  if (!(await usersRepository(db).exists(input.id))) throw notFound();
  return accountsRepository(db).history({ userId: input.id }, input);
}

/**
 * Enables or disables a user. Disabling revokes the tokens already issued at once and retires a
 * pending activation link (it must not undo the disable); enabling also activates an account whose
 * link was never followed.
 */
export async function setUserActive(deps: Deps, actorId: string, input: { id: string; isActive: boolean }) {
  // Compared case-insensitively: the path may spell the actor's own UUID in upper case.
  if (input.id.toLowerCase() === actorId.toLowerCase() && !input.isActive) {
    throw new AppError("CANNOT_DISABLE_SELF", "You cannot disable yourself");
  }
  if (!(await usersRepository(deps.db).setActive(input.id, input.isActive))) throw notFound();
  return getUser(deps, input.id);
}
