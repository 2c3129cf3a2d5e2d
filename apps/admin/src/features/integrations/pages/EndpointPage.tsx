// One webhook endpoint: change its event types, enable / disable it, rotate its secret (the new one is
// shown once; the old one keeps signing for 24 h), send a test, delete it; and its deliveries, each
// with every attempt, with a one-click retry.
import { useState } from "react";
import { ConfirmDialog } from "../../../components/ConfirmDialog.tsx";
import { PageHeader } from "../../../components/Layout.tsx";
import { Empty, ErrorState, Loading } from "../../../components/States.tsx";
import { Table } from "../components/Table.tsx";
import { useToast } from "../../../components/Toasts.tsx";
import { errorMessage } from "../../../lib/errors.ts";
import { dateTime } from "../../../lib/format.ts";
import { Link, getRouteApi, useNavigate } from "@tanstack/react-router";
import {
  type Delivery,
  type Endpoint,
  type EventType,
  useDeleteEndpoint,
  useDeliveries,
  useEndpoint,
  useRetryDelivery,
  useRotateSecret,
  useSendTest,
  useUpdateEndpoint,
} from "../api/integrations.ts";
import { EventTypesField } from "../components/EventTypesField.tsx";
import { SecretOnce } from "../components/SecretOnce.tsx";

const STATUS_BADGE = { pending: "badge-info", delivered: "badge-success", failed: "badge-danger" } as const;

function Deliveries({ endpointId }: { endpointId: string }) {
  const toast = useToast();
  const query = useDeliveries(endpointId);
  const retry = useRetryDelivery({
    onSuccess: () => toast.success("Delivery queued again"),
    onError: (error) => toast.error(`Could not retry: ${errorMessage(error)}`),
  });
  if (query.isPending) return <Loading label="Loading deliveries…" />;
  if (query.isError) return <ErrorState error={query.error} title="Could not load the deliveries" />;
  if (query.data.items.length === 0) return <Empty title="No deliveries yet" />;
  return (
    <Table caption="Deliveries" className="table-deliveries" busy={query.isFetching}>
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {query.data.items.map((d: Delivery) => (
          <tr key={d.id} data-testid="delivery">
            <td>
              {d.eventType}
              <div className="muted">
                <code>{d.messageId}</code>
              </div>
              <div className="muted">{dateTime(d.createdAt)}</div>
            </td>
            <td>
              <span className={`badge ${STATUS_BADGE[d.status]}`}>{d.status}</span>
              {d.nextAttemptAt && <div className="muted">next {dateTime(d.nextAttemptAt)}</div>}
            </td>
            <td>
              <ol className="attempts">
                {d.attempts.map((a) => (
                  <li key={a.attempt} data-testid="attempt">
                    #{a.attempt} {a.statusCode ?? "no answer"} in {a.durationMs} ms — {a.outcome}
                    {a.error && <span className="muted"> ({a.error})</span>}
                    {a.responseBody && (
                      <details>
                        <summary>Answer</summary>
                        <pre className="raw-body">{a.responseBody}</pre>
                      </details>
                    )}
                  </li>
                ))}
              </ol>
            </td>
            <td className="actions">
              <button
                type="button"
                className="button button-small"
                disabled={retry.isPending}
                onClick={() => retry.mutate({ id: d.id })}
              >
                Retry
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function Settings({ endpoint, onSecret }: { endpoint: Endpoint; onSecret: (s: string) => void }) {
  const toast = useToast();
  const [types, setTypes] = useState<EventType[]>(endpoint.eventTypes);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const update = useUpdateEndpoint({
    onSuccess: (e) => toast.success(e.enabled ? "Endpoint saved" : "Endpoint saved (disabled)"),
    onError: (error) => toast.error(`Could not save: ${errorMessage(error)}`),
  });
  const rotate = useRotateSecret({
    onSuccess: (e) => {
      toast.success("New secret made: the old one keeps signing for 24 hours");
      onSecret(e.secret);
    },
    onError: (error) => toast.error(`Could not rotate: ${errorMessage(error)}`),
  });
  const test = useSendTest({
    onSuccess: () => toast.success("Test message queued"),
    onError: (error) => toast.error(`Could not send a test: ${errorMessage(error)}`),
  });
  const navigate = useNavigate();
  const remove = useDeleteEndpoint({
    onSuccess: () => {
      toast.success("Endpoint deleted");
      void navigate({ to: "/integrations" });
    },
    onError: (error) => toast.error(`Could not delete: ${errorMessage(error)}`),
  });
  return (
    <section className="section" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          update.mutate({ id: endpoint.id, eventTypes: types });
        }}
      >
        <EventTypesField value={types} onChange={setTypes} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={update.isPending || types.length === 0}>
            Save event types
          </button>
          <button
            type="button"
            className="button"
            disabled={update.isPending}
            onClick={() => update.mutate({ id: endpoint.id, enabled: !endpoint.enabled })}
          >
            {endpoint.enabled ? "Disable" : "Enable"}
          </button>
          <button
            type="button"
            className="button"
            disabled={rotate.isPending}
            onClick={() => rotate.mutate({ id: endpoint.id })}
          >
            Rotate secret
          </button>
          <button
            type="button"
            className="button"
            disabled={test.isPending}
            onClick={() => test.mutate({ id: endpoint.id })}
          >
            Send test
          </button>
          <button type="button" className="button button-danger-quiet" onClick={() => setConfirmDelete(true)}>
            Delete
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={confirmDelete}
        title="Delete this endpoint?"
        confirmLabel="Delete"
        tone="danger"
        onConfirm={() => {
          setConfirmDelete(false);
          remove.mutate({ id: endpoint.id });
        }}
        onCancel={() => setConfirmDelete(false)}
      >
        Nothing more is sent to {endpoint.url}; its deliveries are deleted with it.
      </ConfirmDialog>
    </section>
  );
}

const route = getRouteApi("/_app/integrations/endpoints/$id");

export function EndpointPage() {
  const { id } = route.useParams();
  const query = useEndpoint(id);
  const [secret, setSecret] = useState<string | null>(null);
  const back = (
    <Link to="/integrations" className="back-link">
      <span aria-hidden="true">← </span>Integrations
    </Link>
  );
  if (query.isPending) return <Loading label="Loading the endpoint…" />;
  if (query.isError) {
    return (
      <>
        {back}
        <PageHeader title="Webhook endpoint" />
        <ErrorState error={query.error} title="Could not load this endpoint" />
      </>
    );
  }
  const e = query.data;
  return (
    <>
      {back}
      <PageHeader title={e.url} lead={e.description || undefined} />
      <dl className="facts">
        <div>
          <dt>State</dt>
          <dd data-testid="endpoint-state">
            {e.enabled ? "Enabled" : `Disabled${e.disabledReason ? `: ${e.disabledReason}` : ""}`}
          </dd>
        </div>
        <div>
          <dt>Last success</dt>
          <dd>{e.lastSuccessAt ? dateTime(e.lastSuccessAt) : "—"}</dd>
        </div>
        <div>
          <dt>Previous secret signs until</dt>
          <dd>{e.previousSecretExpiresAt ? dateTime(e.previousSecretExpiresAt) : "—"}</dd>
        </div>
      </dl>
      {secret && <SecretOnce secret={secret} onDone={() => setSecret(null)} />}
      <Settings key={e.updatedAt} endpoint={e} onSecret={setSecret} />
      <section className="section" aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading">Deliveries</h2>
        <Deliveries endpointId={e.id} />
      </section>
    </>
  );
}
