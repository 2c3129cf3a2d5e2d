// The event log for readers (GET /events, GET /events/{id}) and the one way services append to it.
import type { TEvent, TEventType, TListEventsInput, TUserDetail, TUserSummary } from "@shop/contracts";
import type { SqlTransaction } from "@shop/db";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { eventsRepository } from "../repositories/events.repository.ts";
import { usersRepository } from "../repositories/users.repository.ts";

/**
 * Appends an event in the write's own transaction (like `audit`, it takes the transaction's client, so
 * calling it outside one does not type-check): the event commits with the write or not at all.
 */
export function announce(tx: SqlTransaction, type: TEventType, data: unknown): Promise<string> {
  return eventsRepository({ sql: tx }).append(type, data);
}

/** A user event's data: the user summary as the admin's user list shows it (no transactions). */
export function userSummary(user: TUserDetail): TUserSummary {
  const { transactions: _, ...summary } = user;
  return summary;
}

/** Announces a user event with the user as the write left them (read in the write's transaction). */
export async function announceUser(tx: SqlTransaction, type: TEventType, userId: string) {
  const user = await usersRepository({ sql: tx }).detail(userId);
  if (user) await announce(tx, type, userSummary(user));
}

/**
 * A page of the log after a seq, oldest first. Numbers what committed first (the sequencer), so an
 * event written just before this call is already in it.
 */
export async function listEvents(
  { db }: Deps,
  input: TListEventsInput,
): Promise<{ items: TEvent[]; nextCursor: string | null }> {
  const events = eventsRepository(db);
  await events.sequence();
  const items = await events.list({ after: Number(input.after ?? 0), type: input.type, limit: input.limit });
  const last = items[items.length - 1];
  return { items, nextCursor: items.length === input.limit && last ? String(last.seq) : null };
}

export async function getEvent({ db }: Deps, id: string): Promise<TEvent> {
  const events = eventsRepository(db);
  const found = (await events.byId(id)) ?? ((await events.sequence()).sequenced > 0 ? await events.byId(id) : null);
  if (!found) throw new AppError("EVENT_NOT_FOUND", "Event not found");
  return found;
}
