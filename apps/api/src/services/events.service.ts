// The event log for readers (GET /events, GET /events/{id}) and the one way services append to it.
import type { TEvent, TEventType, TListEventsInput } from "@shop/contracts";
import type { SqlClient } from "@shop/db";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { eventsRepository } from "../repositories/events.repository.ts";

/**
 * Appends an event on `sql`: pass the client the write itself ran on (a transaction's), so the event
 * commits with the write or not at all.
 */
export function announce(sql: SqlClient, type: TEventType, data: unknown): Promise<string> {
  return eventsRepository(sql).append(type, data);
}

/**
 * A page of the log after a seq, oldest first. Numbers what committed first (the sequencer), so an
 * event written just before this call is already in it.
 */
export async function listEvents({ db }: Deps, input: TListEventsInput): Promise<{ items: TEvent[]; nextCursor: string | null }> {
  const events = eventsRepository(db.sql);
  await events.sequence();
  const items = await events.list({ after: Number(input.after ?? 0), type: input.type, limit: input.limit });
  const last = items[items.length - 1];
  return { items, nextCursor: items.length === input.limit && last ? String(last.seq) : null };
}

export async function getEvent({ db }: Deps, id: string): Promise<TEvent> {
  const events = eventsRepository(db.sql);
  const found = (await events.byId(id)) ?? ((await events.sequence()).sequenced > 0 ? await events.byId(id) : null);
  if (!found) throw new AppError("EVENT_NOT_FOUND", "Event not found");
  return found;
}
