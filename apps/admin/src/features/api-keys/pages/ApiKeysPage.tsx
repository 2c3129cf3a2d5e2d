// API keys for server-to-server clients (the shop's own backend): create (shown once, copy), list,
// revoke. A revoked key is refused at once by every server process.
import "../api-keys.css";
import { useState } from "react";
import { ConfirmDialog } from "@/components/ConfirmDialog.tsx";
import { PageHeader } from "@/components/Layout.tsx";
import { Empty, QueryState } from "@/components/States.tsx";
import { useToast } from "@/components/Toasts.tsx";
import { errorMessage } from "@/lib/errors.ts";
import { dateTime } from "@/lib/format.ts";
import { type ApiKey, useApiKeys, useRevokeApiKey } from "../api/api-keys.ts";
import { CreateApiKeyButton } from "../components/CreateApiKeyDialog.tsx";

function RevokeButton({ apiKey }: { apiKey: ApiKey }) {
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const revoke = useRevokeApiKey({
    onSuccess: () => {
      setOpen(false);
      toast.success(`API key "${apiKey.name}" revoked`);
    },
    onError: (error) => toast.error(`Could not revoke: ${errorMessage(error)}`),
  });
  if (apiKey.revokedAt) return <span className="muted small">Revoked {dateTime(apiKey.revokedAt)}</span>;
  return (
    <>
      <button type="button" className="button button-small button-danger-quiet" onClick={() => setOpen(true)}>
        Revoke<span className="visually-hidden"> {apiKey.name}</span>
      </button>
      <ConfirmDialog
        open={open}
        title={`Revoke "${apiKey.name}"?`}
        confirmLabel={revoke.isPending ? "Revoking…" : "Revoke"}
        tone="danger"
        onCancel={() => setOpen(false)}
        onConfirm={() => revoke.mutate({ id: apiKey.id })}
      >
        <p>
          Every call made with <code>{apiKey.prefix}…</code> is refused from now on, by every server. This cannot be
          undone: make a new key instead.
        </p>
      </ConfirmDialog>
    </>
  );
}

export function ApiKeysPage() {
  const keys = useApiKeys();
  return (
    <>
      <PageHeader
        title="API keys"
        lead={
          <>
            Credentials for your own servers, sent as <code>Authorization: Bearer shop_sk_…</code>. Every write made
            with a key is in the audit log under the key&apos;s name.
          </>
        }
      >
        <CreateApiKeyButton />
      </PageHeader>
      <QueryState
        query={keys}
        loadingLabel="Loading API keys…"
        errorTitle="Could not load the API keys"
        empty={
          <Empty title="No API keys yet">
            <p>Create one for a backend that ships orders, refunds or reads reports.</p>
          </Empty>
        }
      >
        {(data) => (
          <div className="table-wrap">
            <table className="table table-api-keys">
              <caption className="visually-hidden">API keys, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((k) => (
                  <tr key={k.id} data-revoked={k.revokedAt ? "true" : "false"}>
                    <td data-label="Name">{k.name}</td>
                    <td data-label="Key">
                      <code>{k.prefix}…</code>
                    </td>
                    <td data-label="Scopes">{k.scopes.join(", ")}</td>
                    <td data-label="Created" className="nowrap">
                      {dateTime(k.createdAt)} by {k.createdBy.login}
                    </td>
                    <td data-label="Last used" className="nowrap">
                      {k.lastUsedAt ? dateTime(k.lastUsedAt) : <span className="muted">never</span>}
                    </td>
                    <td data-label="Actions">
                      <RevokeButton apiKey={k} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
    </>
  );
}
