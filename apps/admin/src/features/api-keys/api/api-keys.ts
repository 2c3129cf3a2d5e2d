// API keys (GET/POST /api-keys, DELETE /api-keys/{id}): the list, and the create and revoke mutations,
// each writing its result into the cached list at once.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type MutationCallbacks, type RouterInputs, type RouterOutputs, trpc } from "@/lib/trpc.ts";

export type ApiKey = RouterOutputs["apiKeys"]["list"]["items"][number];
export type CreatedApiKey = RouterOutputs["apiKeys"]["create"];
export type CreateApiKeyInput = RouterInputs["apiKeys"]["create"];

/** What each scope allows, in words. */
export const SCOPE_TEXT: Record<ApiKey["scopes"][number], string> = {
  read: "Read: every administrative list and report, the product list",
  write: "Write: products and users",
  money: "Money: refunds, adjustments, captures and voids",
};

export function useApiKeys() {
  return useQuery(trpc.apiKeys.list.queryOptions());
}

/** Puts a key (new or changed) first in the cached list, in place of its older self. */
function upsert(items: ApiKey[], key: ApiKey): ApiKey[] {
  return items.some((k) => k.id === key.id) ? items.map((k) => (k.id === key.id ? key : k)) : [key, ...items];
}

export function useCreateApiKey({ onSuccess, onError }: MutationCallbacks<CreatedApiKey, CreateApiKeyInput> = {}) {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: (created, input) => {
        // The list never holds the key itself: only what GET /api-keys would answer.
        const { key: _shownOnce, ...listed } = created;
        queryClient.setQueryData(trpc.apiKeys.list.queryKey(), (list) =>
          list ? { items: upsert(list.items, listed) } : list,
        );
        void queryClient.invalidateQueries(trpc.audit.pathFilter());
        onSuccess?.(created, input);
      },
      onError: (error, input) => onError?.(error, input),
    }),
  );
}

export function useRevokeApiKey({ onSuccess, onError }: MutationCallbacks<ApiKey, { id: string }> = {}) {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: (revoked, input) => {
        queryClient.setQueryData(trpc.apiKeys.list.queryKey(), (list) =>
          list ? { items: upsert(list.items, revoked) } : list,
        );
        void queryClient.invalidateQueries(trpc.audit.pathFilter());
        onSuccess?.(revoked, input);
      },
      onError: (error, input) => onError?.(error, input),
    }),
  );
}
