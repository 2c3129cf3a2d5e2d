// GET /transactions.csv: the whole ledger's listing (the filters of GET /transactions) as text/csv,
// streamed in chunks (ledger.repository's keyset over seq), so an export of any size holds one chunk in
// memory. A plain Express route, not a procedure (tRPC answers JSON), with the same bearer check (token or
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
    // The first chunk is read before the headers go out, so a database error is still a clean 5xx.
    const first = await rows.next();
    res
      .status(200)
      .type("text/csv; charset=utf-8")
      .set("Content-Disposition", 'attachment; filename="transactions.csv"');
    for (let chunk = first; !chunk.done; chunk = await rows.next()) {
      if (!res.write(chunk.value)) await new Promise((resolve) => res.once("drain", resolve));
      if (res.destroyed) return;
    }
    res.end();
  });
  return router;
}
