// `?format=csv` on GET /users/me/statement and GET /accounts/{id}/statement: the same statement as
// text/csv. Plain Express routes in front of the REST projection (tRPC answers JSON): without
// format=csv they pass the request on to the procedure. The same bearer check, rules and service as
// the procedures: a person for their own accounts, an administrator or a `read` API key for any.
import { ZAccountStatementInputSchema, ZMyStatementInputSchema, type TStatement } from "@shop/contracts";
import { type Request, type Response, Router } from "express";
import type { z } from "zod";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { callerFromBearer } from "../services/callers.ts";
import { getStatement, statementCsv } from "../services/statements.service.ts";

function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("INVALID_INPUT", `Invalid ${issue?.path.join(".") || "query"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

function sendCsv(res: Response, statement: TStatement) {
  const day = (iso: string) => iso.slice(0, 10);
  res
    .status(200)
    .type("text/csv; charset=utf-8")
    .set(
      "Content-Disposition",
      `attachment; filename="statement-${statement.accountId}-${day(statement.from)}-${day(statement.to)}.csv"`,
    )
    .send(statementCsv(statement));
}

export function statementCsvRouter(deps: Deps): Router {
  const router = Router();
  router.get("/users/me/statement", async (req: Request, res: Response, next) => {
    if (req.query.format !== "csv") return next();
    const { user } = await callerFromBearer(deps, req.headers.authorization, undefined);
    const input = parseQuery(ZMyStatementInputSchema, req.query);
    sendCsv(res, await getStatement(deps, { ...input, ownerId: user.id }));
  });
  router.get("/accounts/:id/statement", async (req: Request, res: Response, next) => {
    if (req.query.format !== "csv") return next();
    const { user } = await callerFromBearer(deps, req.headers.authorization, "read");
    if (!user.isAdmin) throw new AppError("ADMIN_ONLY", "Administrators only");
    const input = parseQuery(ZAccountStatementInputSchema, { ...req.query, id: req.params.id });
    sendCsv(res, await getStatement(deps, { ...input, accountId: input.id, ownerId: null }));
  });
  return router;
}
