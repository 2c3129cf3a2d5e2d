// Integrations: the shop's webhook endpoints (create, change, rotate, test, delete), each endpoint's
// deliveries with their attempts (retry), and the event log. Queries and the cache updates of each
// mutation live here; the pages add toasts.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type MutationCallbacks, type RouterInputs, type RouterOutputs, trpc, trpcClient } from "../../../lib/trpc.ts";

export type Endpoint = RouterOutputs["webhookEndpoints"]["get"];
export type EndpointWithSecret = RouterOutputs["webhookEndpoints"]["create"];
export type Delivery = RouterOutputs["webhookEndpoints"]["retryDelivery"];
export type ShopEvent = RouterOutputs["events"]["get"];
export type EventType = ShopEvent["type"];
type CreateInput = RouterInputs["webhookEndpoints"]["create"];
type UpdateInput = RouterInputs["webhookEndpoints"]["update"];

export function useEndpoints() {
  return useQuery(trpc.webhookEndpoints.list.queryOptions({}));
}

export function useEndpoint(id: string) {
  return useQuery(trpc.webhookEndpoints.get.queryOptions({ id }));
}

/** An endpoint's deliveries, newest first; refreshed every 2 s while one is pending. */
export function useDeliveries(id: string) {
  return useQuery({
    ...trpc.webhookEndpoints.deliveries.queryOptions({ id, limit: 50 }),
    refetchInterval: (query) => (query.state.data?.items.some((d) => d.status === "pending") ? 2000 : false),
  });
}

/** The event log, oldest first, page after page (a cursor: the last seq). */
export function useEvents(filter: { type?: EventType | undefined; after?: string | undefined }) {
  return useInfiniteQuery({
    queryKey: ["integrations", "events", filter],
    initialPageParam: filter.after,
    queryFn: ({ pageParam }) => trpcClient.events.list.query({ limit: 50, type: filter.type, after: pageParam }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

function useInvalidateEndpoints() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: trpc.webhookEndpoints.pathKey() });
}

export function useCreateEndpoint(callbacks: MutationCallbacks<EndpointWithSecret, CreateInput> = {}) {
  const invalidate = useInvalidateEndpoints();
  return useMutation(
    trpc.webhookEndpoints.create.mutationOptions({
      onSuccess: (data, variables) => {
        void invalidate();
        callbacks.onSuccess?.(data, variables);
      },
      onError: (error, variables) => callbacks.onError?.(error, variables),
    }),
  );
}

export function useUpdateEndpoint(callbacks: MutationCallbacks<Endpoint, UpdateInput> = {}) {
  const invalidate = useInvalidateEndpoints();
  return useMutation(
    trpc.webhookEndpoints.update.mutationOptions({
      onSuccess: (data, variables) => {
        void invalidate();
        callbacks.onSuccess?.(data, variables);
      },
      onError: (error, variables) => callbacks.onError?.(error, variables),
    }),
  );
}

export function useRotateSecret(callbacks: MutationCallbacks<EndpointWithSecret, { id: string }> = {}) {
  const invalidate = useInvalidateEndpoints();
  return useMutation(
    trpc.webhookEndpoints.rotateSecret.mutationOptions({
      onSuccess: (data, variables) => {
        void invalidate();
        callbacks.onSuccess?.(data, variables);
      },
      onError: (error, variables) => callbacks.onError?.(error, variables),
    }),
  );
}

export function useSendTest(callbacks: MutationCallbacks<Delivery, { id: string }> = {}) {
  const invalidate = useInvalidateEndpoints();
  return useMutation(
    trpc.webhookEndpoints.test.mutationOptions({
      onSuccess: (data, variables) => {
        void invalidate();
        callbacks.onSuccess?.(data, variables);
      },
      onError: (error, variables) => callbacks.onError?.(error, variables),
    }),
  );
}

export function useDeleteEndpoint(callbacks: MutationCallbacks<Endpoint, { id: string }> = {}) {
  const invalidate = useInvalidateEndpoints();
  return useMutation(
    trpc.webhookEndpoints.delete.mutationOptions({
      onSuccess: (data, variables) => {
        void invalidate();
        callbacks.onSuccess?.(data, variables);
      },
      onError: (error, variables) => callbacks.onError?.(error, variables),
    }),
  );
}

export function useRetryDelivery(callbacks: MutationCallbacks<Delivery, { id: string }> = {}) {
  const invalidate = useInvalidateEndpoints();
  return useMutation(
    trpc.webhookEndpoints.retryDelivery.mutationOptions({
      onSuccess: (data, variables) => {
        void invalidate();
        callbacks.onSuccess?.(data, variables);
      },
      onError: (error, variables) => callbacks.onError?.(error, variables),
    }),
  );
}
