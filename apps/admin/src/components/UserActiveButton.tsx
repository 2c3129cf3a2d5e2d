// Enable or disable a user, after a confirmation. Optimistic: the lists and the detail show the new
// state at once and go back to the old one if the server refuses.
import type { QueryKey } from "@tanstack/react-query";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useAuth } from "../auth.tsx";
import { errorMessage, trpc, type UserDetail, type UserPage } from "../trpc.ts";
import { useToast } from "./Toasts.tsx";
import { ConfirmDialog } from "./ConfirmDialog.tsx";

interface Props {
  user: { id: string; login: string; isActive: boolean; isAdmin: boolean };
  size?: "small";
}

export function UserActiveButton({ user, size }: Props) {
  const { session } = useAuth();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);

  const mutation = useMutation(
    trpc.adminUsers.setActive.mutationOptions({
      onMutate: async ({ id, isActive }) => {
        const lists = trpc.adminUsers.list.queryFilter();
        const detail = trpc.adminUsers.get.queryFilter({ id });
        await Promise.all([queryClient.cancelQueries(lists), queryClient.cancelQueries(detail)]);
        const saved: [QueryKey, unknown][] = [
          ...queryClient.getQueriesData(lists),
          ...queryClient.getQueriesData(detail),
        ];
        queryClient.setQueriesData<UserPage>(
          lists,
          (page) => page && { ...page, items: page.items.map((u) => (u.id === id ? { ...u, isActive } : u)) },
        );
        queryClient.setQueriesData<UserDetail>(detail, (u) => u && { ...u, isActive });
        return { saved };
      },
      onError: (error, { isActive }, context) => {
        for (const [key, data] of context?.saved ?? []) queryClient.setQueryData(key, data);
        toast.error(`Could not ${isActive ? "enable" : "disable"} ${user.login}: ${errorMessage(error)}`);
      },
      onSuccess: (updated) => {
        toast.success(updated.isActive ? `${updated.login} is enabled` : `${updated.login} is disabled`);
      },
      onSettled: () => queryClient.invalidateQueries(trpc.adminUsers.pathFilter()),
    }),
  );

  if (user.id === session?.userId) {
    return <span className="muted small">That’s you</span>;
  }

  const disabling = user.isActive;
  const className = `button ${disabling ? "button-danger-quiet" : "button-primary-quiet"}${size === "small" ? " button-small" : ""}`;

  return (
    <>
      <button type="button" className={className} onClick={() => setConfirming(true)} disabled={mutation.isPending}>
        {disabling ? "Disable" : "Enable"}
        <span className="visually-hidden"> {user.login}</span>
      </button>
      <ConfirmDialog
        open={confirming}
        title={disabling ? `Disable ${user.login}?` : `Enable ${user.login}?`}
        confirmLabel={disabling ? "Disable user" : "Enable user"}
        tone={disabling ? "danger" : "primary"}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          mutation.mutate({ id: user.id, isActive: !user.isActive });
        }}
      >
        {disabling ? (
          <p>
            <strong>{user.login}</strong> is signed out at once and can no longer sign in or buy until enabled again.
            Balances and history are kept.
          </p>
        ) : (
          <p>
            <strong>{user.login}</strong> can sign in and buy again.
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}
