// "New API key": a name and at least one scope, then the key itself, shown this once with a Copy button.
import { API_KEY_SCOPES } from "@shop/contracts";
import { useId, useState } from "react";
import { ConfirmDialog } from "@/components/ConfirmDialog.tsx";
import { useToast } from "@/components/Toasts.tsx";
import { errorMessage } from "@/lib/errors.ts";
import { type CreatedApiKey, SCOPE_TEXT, useCreateApiKey } from "../api/api-keys.ts";

type Scope = (typeof API_KEY_SCOPES)[number];

export function CreateApiKeyButton() {
  const toast = useToast();
  const nameId = useId();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["read"]);
  const [problem, setProblem] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const create = useCreateApiKey({
    onSuccess: (key) => {
      setOpen(false);
      setCreated(key);
      toast.success(`API key "${key.name}" created`);
    },
    onError: (error) => setProblem(errorMessage(error)),
  });

  const submit = () => {
    if (name.trim() === "") return setProblem("Give the key a name: what it is for.");
    if (scopes.length === 0) return setProblem("Choose at least one scope.");
    setProblem(null);
    create.mutate({ name: name.trim(), scopes });
  };

  return (
    <>
      <button
        type="button"
        className="button button-primary"
        onClick={() => {
          setName("");
          setScopes(["read"]);
          setProblem(null);
          setOpen(true);
        }}
      >
        New API key
      </button>
      <ConfirmDialog
        open={open}
        title="New API key"
        confirmLabel={create.isPending ? "Creating…" : "Create key"}
        onCancel={() => setOpen(false)}
        onConfirm={submit}
      >
        {open ? (
          <form className="form" onSubmit={(e) => e.preventDefault()} noValidate>
            <div className="field">
              <label htmlFor={nameId}>Name</label>
              <input
                id={nameId}
                value={name}
                maxLength={100}
                onChange={(e) => setName(e.target.value)}
                placeholder="shipping backend"
              />
            </div>
            <fieldset className="field">
              <legend>Scopes</legend>
              {API_KEY_SCOPES.map((scope) => (
                <label key={scope} className="checkbox">
                  <input
                    type="checkbox"
                    name="scope"
                    value={scope}
                    checked={scopes.includes(scope)}
                    onChange={(e) =>
                      setScopes((now) => (e.target.checked ? [...now, scope] : now.filter((s) => s !== scope)))
                    }
                  />{" "}
                  {SCOPE_TEXT[scope]}
                </label>
              ))}
            </fieldset>
            {problem ? (
              <p className="field-error" role="alert">
                {problem}
              </p>
            ) : null}
          </form>
        ) : null}
      </ConfirmDialog>
      {created ? <ShownOnce created={created} onDone={() => setCreated(null)} /> : null}
    </>
  );
}

/** The new key, this once: copy it now, it cannot be shown again. */
function ShownOnce({ created, onDone }: { created: CreatedApiKey; onDone(): void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section className="notice notice-success key-once" aria-labelledby="key-once-title" role="region">
      <h2 id="key-once-title">Copy the key of "{created.name}" now</h2>
      <p>
        It is shown this once: only its hash is kept. Send it as <code>Authorization: Bearer &lt;key&gt;</code>.
      </p>
      <p>
        <code className="key-secret" data-testid="new-api-key">
          {created.key}
        </code>
      </p>
      <button
        type="button"
        className="button"
        onClick={() => {
          void navigator.clipboard?.writeText(created.key).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
      >
        {copied ? "Copied" : "Copy"}
      </button>{" "}
      <button type="button" className="button button-quiet" onClick={onDone}>
        Done
      </button>
    </section>
  );
}
