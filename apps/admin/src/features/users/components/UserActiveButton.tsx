// Enable or disable a user, after a confirmation (optimistic: set-user-active.ts). An admin cannot
// disable themselves: their own row says so instead. A pending user gets a new activation link instead.
import { useState } from "react";
import { ConfirmDialog } from "@/components/ConfirmDialog.tsx";
import { useToast } from "@/components/Toasts.tsx";
import { useAuth } from "@/lib/auth.tsx";
import { errorMessage } from "@/lib/errors.ts";
import { useSetUserActive } from "@/features/users/api/set-user-active.ts";
import { ActivationLinkButton } from "./ActivationLinkButton.tsx";

interface Props {
  user: { id: string; login: string; isActive: boolean; isAdmin: boolean; status?: string };
  size?: "small";
}

export function UserActiveButton({ user, size }: Props) {
  const { session } = useAuth();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);

  const mutation = useSetUserActive({
    onError: (error, { isActive }) =>
      toast.error(`Could not ${isActive ? "enable" : "disable"} ${user.login}: ${errorMessage(error)}`),
    onSuccess: (updated) =>
      toast.success(updated.isActive ? `${updated.login} is enabled` : `${updated.login} is disabled`),
  });

  if (user.id === session?.userId) {
    return <span className="muted small">That’s you</span>;
  }
  // A user who never activated gets a new link instead of being enabled without one.
  if (user.status === "pending") return <ActivationLinkButton user={user} size={size} />;

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
