// The audit log (GET /audit): who did what to which thing; the list's URL parameters
// (?action=product.update&target=product&id=…&actor=…&from=2026-11-01, validated by the /audit route)
// and its query.
import { AUDIT_ACTIONS, ZUuidSchema, textInput } from "@shop/contracts";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { type List, ZDaySchema, dayRange, pageSearch, param } from "@/lib/list.ts";
import { type RouterOutputs, trpc } from "@/lib/trpc.ts";

export type AuditEntry = RouterOutputs["audit"]["list"]["items"][number];

export const AUDIT_TARGETS = ["product", "user", "account", "transaction"] as const;

/** A target id as the API takes it: any text up to 100 characters. */
export const ZTargetIdSchema = textInput().trim().min(1, "is required").max(100, "must be at most 100 characters");

export const ZAuditSearchSchema = z.object({
  ...pageSearch,
  action: param(z.enum(AUDIT_ACTIONS)),
  target: param(z.enum(AUDIT_TARGETS)),
  id: param(ZTargetIdSchema),
  actor: param(ZUuidSchema),
  from: param(ZDaySchema),
  to: param(ZDaySchema),
});
export type AuditSearch = z.output<typeof ZAuditSearchSchema>;

export function useAudit(list: List<AuditSearch>) {
  const { action, target, id, actor, from, to } = list.search;
  return useQuery(
    trpc.audit.list.queryOptions(
      { ...list.pageInput, action, targetType: target, targetId: id, actorId: actor, ...dayRange(from, to) },
      { placeholderData: keepPreviousData },
    ),
  );
}
