// GET /transactions.csv: the whole ledger's listing (the filters of GET /transactions) as text/csv,
// streamed in chunks (transactions.repository's csv: a cursor on PostgreSQL, keyset pages on PGlite), so
// an export of any size holds one chunk in memory; a client that leaves stops it and frees its connection. A plain Express route, not a procedure (tRPC answers JSON), with the same bearer check (token or
// API key with `read`) and admin rule as the admin procedures and the same service as the JSON listing.
import { ZTransactionFilterSchema } from "@shop/contracts";
import { type Request, type Response, Router } from "express";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { callerFromBearer } from "../services/callers.ts";
import { transactionsCsv } from "../services/transactions.service.ts";

export function transactionsCsvRouter(deps: Deps): Router {
  const router = Router();
  router.get("/transactions.csv", async (req: Request, res: Response) => {
    // An API key needs `read`, as for the JSON listing (an administrator's GET).
    const { user } = await callerFromBearer(deps, req.headers.authorization, "read");
    if (!user.isAdmin) throw new AppError("ADMIN_ONLY", "Administrators only");
    const parsed = ZTransactionFilterSchema.safeParse(req.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError(
        "INVALID_INPUT",
        `Invalid ${issue?.path.join(".") || "query"}: ${issue?.message ?? "invalid"}`,
      );
    }
    const rows = transactionsCsv({ ...deps, log: req.log }, parsed.data);
    try {
      // The first chunk is read before the headers go out, so a database error is still a clean 5xx.
      const first = await rows.next();
      res
        .status(200)
        .type("text/csv; charset=utf-8")
        .set("Content-Disposition", 'attachment; filename="transactions.csv"');
      for (let chunk = first; !chunk.done; chunk = await rows.next()) {
        if (!res.write(chunk.value)) {
          // Until the socket takes more, or is gone (then the loop stops).
          await new Promise<void>((resolve) => {
            const done = () => {
              res.off("drain", done);
              res.off("close", done);
              resolve();
            };
            res.on("drain", done);
            res.on("close", done);
          });
        }
        if (res.destroyed) return;
      }
      res.end();
    } finally {
      // A client gone mid-export: the generator closes its cursor and gives its connection back.
      await rows.return(undefined);
    }
  });
  return router;
}
