// For a pending user (never activated): "New activation link", copied to the clipboard and shown, so
// the administrator sends it to the user; enabling them without it is not offered.
import { useState } from "react";
import { useToast } from "@/components/Toasts.tsx";
import { errorMessage } from "@/lib/errors.ts";
import { dateTime } from "@/lib/format.ts";
import { type ActivationLink, useActivationLink } from "@/features/users/api/activation-link.ts";

export function ActivationLinkButton({ user, size }: { user: { id: string; login: string }; size?: "small" }) {
  const toast = useToast();
  const [link, setLink] = useState<ActivationLink | null>(null);
  const mutation = useActivationLink({
    onSuccess: async (created) => {
      setLink(created);
      try {
        await navigator.clipboard.writeText(created.activationUrl);
        toast.success(`Activation link for ${user.login} copied to the clipboard`);
      } catch {
        toast.success(`Activation link for ${user.login} created: copy it below`);
      }
    },
    onError: (error) => toast.error(`Could not create an activation link: ${errorMessage(error)}`),
  });
  return (
    <span className="activation">
      <button
        type="button"
        className={`button button-primary-quiet${size === "small" ? " button-small" : ""}`}
        onClick={() => mutation.mutate({ id: user.id })}
        disabled={mutation.isPending}
      >
        New activation link<span className="visually-hidden"> for {user.login}</span>
      </button>
      {link ? (
        <label className="activation-link small">
          <span className="visually-hidden">Activation link for {user.login}</span>
          <input readOnly value={link.activationUrl} onFocus={(e) => e.target.select()} />
          <span className="muted">valid until {dateTime(link.expiresAt)}</span>
        </label>
      ) : null}
    </span>
  );
}
