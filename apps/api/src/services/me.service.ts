// The signed-in user's own view: accounts, balances and history.
import type { TMe } from "@shop/contracts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { transactionsRepository } from "../repositories/transactions.repository.ts";
import { usersRepository } from "../repositories/users.repository.ts";

export async function getMe({ db }: Deps, userId: string): Promise<TMe> {
  const me = await usersRepository(db).me(userId);
  if (!me) throw new AppError("USER_NOT_FOUND", "User not found");
  return me;
}

export function listMyTransactions(
  { db }: Deps,
  userId: string,
  input: { limit: number; offset: number; cursor?: string | undefined; accountId?: string | undefined },
) {
  return transactionsRepository(db).history({ userId, accountId: input.accountId }, input);
}
