import { z } from "zod";
import {
  ZBoolParamSchema,
  ZStrictBooleanSchema,
  ZPageInputSchema,
  ZSearchSchema,
  ZTimestampSchema,
  ZNumericIdSchema,
  ZUuidSchema,
  pageOf,
} from "./common.ts";
import { ZMoneySchema } from "./money.ts";
import { ZAccountSchema, ZTransactionSchema } from "./wallet.ts";

export const ZMeSchema = z.object({
  id: ZUuidSchema,
  numericId: ZNumericIdSchema,
  login: z.string(),
  isAdmin: z.boolean(),
  isActive: z.boolean(),
  accounts: z.array(ZAccountSchema),
  transactions: z.array(ZTransactionSchema).meta({ description: "The latest 50, newest first" }),
});
export type TMe = z.infer<typeof ZMeSchema>;

/** pending: registered, never activated; active; disabled: by an administrator (or before activating). */
export const USER_STATUSES = ["pending", "active", "disabled"] as const;
export const ZUserStatusSchema = z.enum(USER_STATUSES);
export type TUserStatus = z.infer<typeof ZUserStatusSchema>;

export const ZUserSummarySchema = z.object({
  id: ZUuidSchema,
  numericId: ZNumericIdSchema,
  login: z.string(),
  isActive: z.boolean(),
  status: ZUserStatusSchema,
  isAdmin: z.boolean(),
  createdAt: ZTimestampSchema,
  accounts: z.array(ZAccountSchema),
  totalBalance: ZMoneySchema.meta({ description: "The sum of the user's account balances" }),
});
export type TUserSummary = z.infer<typeof ZUserSummarySchema>;

/** The admin's user list sorts by login (case-insensitive), join time or the sum of the balances. */
export const USER_SORTS = ["login", "joined", "balance"] as const;
export type TUserSort = (typeof USER_SORTS)[number];

export const ZListUsersInputSchema = ZPageInputSchema.extend({
  search: ZSearchSchema,
  isActive: ZBoolParamSchema.optional(),
  status: ZUserStatusSchema.optional(),
  sort: z
    .enum(USER_SORTS)
    .default("joined")
    .meta({ description: "login: case-insensitive; joined: registration time; balance: totalBalance" }),
  order: z
    .enum(["asc", "desc"])
    .default("asc")
    .meta({ description: "Ties are broken by numericId, in the same direction" }),
});
export type TListUsersInput = z.output<typeof ZListUsersInputSchema>;
export const ZUserPageSchema = pageOf(ZUserSummarySchema);

export const ZUserIdInputSchema = z.object({ id: ZUuidSchema });

export const ZUserDetailSchema = ZUserSummarySchema.extend({
  transactions: z.array(ZTransactionSchema).meta({ description: "The latest 50, newest first" }),
});
export type TUserDetail = z.infer<typeof ZUserDetailSchema>;

export const ZUserTransactionsInputSchema = ZPageInputSchema.extend({ id: ZUuidSchema });

export const ZSetUserActiveInputSchema = z.object({ id: ZUuidSchema, isActive: ZStrictBooleanSchema });

export const ZActivationLinkSchema = z.object({ activationUrl: z.url(), expiresAt: ZTimestampSchema });
export type TActivationLink = z.infer<typeof ZActivationLinkSchema>;
