import { ZAuditPageSchema, ZListAuditInputSchema } from "@shop/contracts";
import { listAudit } from "../services/audit.service.ts";
import { adminProcedure, router } from "../trpc.ts";

export const auditRouter = router({
  list: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/audit",
        protect: true,
        tags: ["admin"],
        summary: "The audit log: every administrative write, newest first",
        description:
          "Append-only (the database refuses UPDATE and DELETE). Includes the CLI (actor cli) and start-up " +
          "(actor system). from / to are ISO 8601 date-times.",
      },
    })
    .input(ZListAuditInputSchema)
    .output(ZAuditPageSchema)
    .query(({ ctx, input }) => listAudit(ctx, input)),
});
