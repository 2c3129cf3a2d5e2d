import { ZEventIdInputSchema, ZEventPageSchema, ZEventSchema, ZListEventsInputSchema } from "@shop/contracts";
import { getEvent, listEvents } from "../services/events.service.ts";
import { adminProcedure, router } from "../trpc.ts";

export const eventsRouter = router({
  list: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/events",
        protect: true,
        tags: ["events"],
        summary: "The event log, oldest first, after a seq",
        description:
          "Every money move and administrative write appends one event in the same commit. `seq` increases in " +
          "commit order (with gaps); page with `after` = the previous page's `nextCursor` (null: the end of the log " +
          "for now — keep the last item's seq and ask again later).",
      },
    })
    .input(ZListEventsInputSchema)
    .output(ZEventPageSchema)
    .query(({ ctx, input }) => listEvents(ctx, input)),

  get: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/events/{id}",
        protect: true,
        tags: ["events"],
        summary: "One event",
        description: "The event as the log, webhooks and NATS carry it: id, type, seq, createdAt, data.",
      },
      appErrors: ["EVENT_NOT_FOUND"],
    })
    .input(ZEventIdInputSchema)
    .output(ZEventSchema)
    .query(({ ctx, input }) => getEvent(ctx, input.id)),
});
