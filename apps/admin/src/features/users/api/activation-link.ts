// A new activation link for a pending user (POST /users/{id}/activation-link); the user activates
// themselves with it. The audit log records it, so its cached pages are fetched again.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type MutationCallbacks, type RouterInputs, type RouterOutputs, trpc } from "@/lib/trpc.ts";

type Input = RouterInputs["adminUsers"]["activationLink"];
export type ActivationLink = RouterOutputs["adminUsers"]["activationLink"];

export function useActivationLink({ onSuccess, onError }: MutationCallbacks<ActivationLink, Input> = {}) {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.adminUsers.activationLink.mutationOptions({
      onSuccess: (link, input) => onSuccess?.(link, input),
      onError: (error, input) => onError?.(error, input),
      onSettled: () => queryClient.invalidateQueries(trpc.audit.pathFilter()),
    }),
  );
}
