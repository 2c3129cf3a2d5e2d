// The audit log (GET /audit): who did what to which thing; the list's URL parameters
// (?action=product.update&target=product&id=…&actor=…&from=2026-11-01) and its query.
import { AUDIT_ACTIONS } from "@shop/contracts";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type ListParams, type ListSpec, usePageInRange } from "../../../hooks/use-list-params.ts";
import { type RouterInputs, type RouterOutputs, trpc } from "../../../lib/trpc.ts";

export type AuditEntry = RouterOutputs["audit"]["list"]["items"][number];
type Input = RouterInputs["audit"]["list"];

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const AUDIT_TARGETS = ["product", "user", "account", "transaction", "api_key"] as const;

export const AUDIT_LIST = {
  defaultPageSize: 20,
  filters: {
    action: AUDIT_ACTIONS,
    target: AUDIT_TARGETS,
    id: /^.{1,100}$/,
    actor: UUID,
    from: DAY,
    to: DAY,
  },
} as const satisfies ListSpec<never, "action" | "target" | "id" | "actor" | "from" | "to">;

export type AuditListParams = ListParams<never, keyof typeof AUDIT_LIST.filters>;

export function useAudit(list: AuditListParams) {
  const { action, target, id, actor, from, to } = list.filters;
  const query = useQuery(
    trpc.audit.list.queryOptions(
      {
        limit: list.limit,
        offset: list.offset,
        action: (action || undefined) as Input["action"],
        targetType: (target || undefined) as Input["targetType"],
        targetId: id || undefined,
        actorId: actor || undefined,
        from: from ? `${from}T00:00:00.000Z` : undefined,
        to: to ? `${to}T23:59:59.999Z` : undefined,
      },
      { placeholderData: keepPreviousData },
    ),
  );
  usePageInRange(list, query);
  return query;
}
