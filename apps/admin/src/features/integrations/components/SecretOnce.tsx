// A signing secret, shown once (after creating an endpoint or rotating its secret), with a copy button.
import { useState } from "react";

export function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section className="section secret-once" aria-labelledby="secret-heading" role="status">
      <h2 id="secret-heading">Signing secret</h2>
      <p>Copy it now: it is not shown again. The receiver verifies each message with it (Standard Webhooks).</p>
      <p>
        <code data-testid="secret">{secret}</code>{" "}
        <button
          type="button"
          className="button button-small"
          onClick={() => {
            void navigator.clipboard?.writeText(secret).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>{" "}
        <button type="button" className="button button-small button-quiet" onClick={onDone}>
          Done
        </button>
      </p>
    </section>
  );
}
