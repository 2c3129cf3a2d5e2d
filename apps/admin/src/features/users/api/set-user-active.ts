// Enabling or disabling a user is optimistic: every cached list and the user's detail show the new
// state at once and go back to the old one if the server refuses; afterwards all users queries are
// fetched again (a disabled user's sessions end, balances may have moved meanwhile).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { patch, patchQueries } from "@/lib/optimistic.ts";
import { type MutationCallbacks, type RouterInputs, type RouterOutputs, trpc } from "@/lib/trpc.ts";
import type { UserDetail } from "./get-user.ts";
import type { UserPage } from "./get-users.ts";

export type SetUserActiveInput = RouterInputs["adminUsers"]["setActive"];
type Updated = RouterOutputs["adminUsers"]["setActive"];

export function useSetUserActive({ onSuccess, onError }: MutationCallbacks<Updated, SetUserActiveInput> = {}) {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.adminUsers.setActive.mutationOptions({
      onMutate: async ({ id, isActive }) => {
        const restore = await patchQueries(queryClient, [
          patch<UserPage>(trpc.adminUsers.list.queryFilter(), (page) => ({
            ...page,
            items: page.items.map((u) => (u.id === id ? { ...u, isActive } : u)),
          })),
          patch<UserDetail>(trpc.adminUsers.get.queryFilter({ id }), (user) => ({ ...user, isActive })),
        ]);
        return { restore };
      },
      onError: (error, input, context) => {
        context?.restore();
        onError?.(error, input);
      },
      onSuccess: (updated, input) => onSuccess?.(updated, input),
      onSettled: () => queryClient.invalidateQueries(trpc.adminUsers.pathFilter()),
    }),
  );
}
