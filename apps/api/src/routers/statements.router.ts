import {
  ZAccountStatementInputSchema,
  ZBalanceAtInputSchema,
  ZBalanceAtSchema,
  ZMyStatementInputSchema,
  ZStatementSchema,
} from "@shop/contracts";
import { getBalanceAt, getStatement } from "../services/statements.service.ts";
import { adminProcedure, authedProcedure, router } from "../trpc.ts";

const WINDOW =
  "The window is [from, to): `from` included, `to` excluded, so consecutive statements chain (one's " +
  "closingBalance is the next one's openingBalance); default the 30 days before now; at most 366 days (400 " +
  "INVALID_DATE_RANGE). openingBalance + totalIn − totalOut = closingBalance. Posted entries only. " +
  "`?format=csv` answers text/csv (an opening-balance row, the entries, a closing-balance row).";

export const statementsRouter = router({
  mine: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/users/me/statement",
        protect: true,
        tags: ["wallet"],
        summary: "A statement of one of my accounts",
        description: WINDOW,
      },
      appErrors: ["ACCOUNT_NOT_FOUND", "INVALID_DATE_RANGE"],
    })
    .input(ZMyStatementInputSchema)
    .output(ZStatementSchema)
    .query(({ ctx, input }) => getStatement(ctx, { ...input, ownerId: ctx.user.id })),

  account: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/accounts/{id}/statement",
        protect: true,
        tags: ["admin"],
        summary: "A statement of any account",
        description: WINDOW,
      },
      appErrors: ["ACCOUNT_NOT_FOUND", "INVALID_DATE_RANGE"],
    })
    .input(ZAccountStatementInputSchema)
    .output(ZStatementSchema)
    .query(({ ctx, input }) => getStatement(ctx, { ...input, accountId: input.id, ownerId: null })),

  balance: authedProcedure
    .meta({
      scope: "read",
      openapi: {
        method: "GET",
        path: "/accounts/{id}/balance",
        protect: true,
        tags: ["wallet"],
        summary: "The posted balance of an account at an instant",
        description:
          "The balance after the account's last ledger entry at or before `at` (default now; 0.00 before its " +
          "first). Its owner, or an administrator (any account).",
      },
      appErrors: ["ACCOUNT_NOT_FOUND"],
    })
    .input(ZBalanceAtInputSchema)
    .output(ZBalanceAtSchema)
    .query(({ ctx, input }) =>
      getBalanceAt(ctx, { accountId: input.id, at: input.at, ownerId: ctx.user.isAdmin ? null : ctx.user.id }),
    ),
});
