// Integrations: the shop's webhook endpoints (where events are POSTed, signed) with a form to add one;
// the signing secret is shown once after creating. Links to each endpoint and to the event log.
import { useState } from "react";
import { PageHeader } from "../../../components/Layout.tsx";
import { Empty, ErrorState, Loading } from "../../../components/States.tsx";
import { Table } from "../components/Table.tsx";
import { useToast } from "../../../components/Toasts.tsx";
import { errorMessage } from "../../../lib/errors.ts";
import { dateTime } from "../../../lib/format.ts";
import { Link } from "@tanstack/react-router";
import { type EventType, useCreateEndpoint, useEndpoints } from "../api/integrations.ts";
import { EventTypesField } from "../components/EventTypesField.tsx";
import { SecretOnce } from "../components/SecretOnce.tsx";

function CreateEndpointForm({ onCreated }: { onCreated: (secret: string) => void }) {
  const toast = useToast();
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [types, setTypes] = useState<EventType[]>(["purchase.completed"]);
  const create = useCreateEndpoint({
    onSuccess: (endpoint) => {
      toast.success(`Endpoint ${endpoint.url} added`);
      setUrl("");
      setDescription("");
      onCreated(endpoint.secret);
    },
    onError: (error) => toast.error(`Could not add the endpoint: ${errorMessage(error)}`),
  });
  return (
    <form
      className="form section"
      aria-label="Add an endpoint"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ url, description, eventTypes: types });
      }}
    >
      <h2>Add an endpoint</h2>
      <label className="field">
        <span className="field-label">URL</span>
        <input name="url" type="url" required value={url} onChange={(e) => setUrl(e.target.value)} />
      </label>
      <label className="field">
        <span className="field-label">Description</span>
        <input name="description" value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <EventTypesField value={types} onChange={setTypes} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={create.isPending || types.length === 0}>
          Add endpoint
        </button>
      </div>
    </form>
  );
}

export function IntegrationsPage() {
  const endpoints = useEndpoints();
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <>
      <PageHeader
        title="Integrations"
        lead="Webhook endpoints receive the shop's events, signed (Standard Webhooks) and retried until they answer 2xx."
      >
        <Link to="/integrations/events" className="button">
          Event log
        </Link>
      </PageHeader>
      {secret && <SecretOnce secret={secret} onDone={() => setSecret(null)} />}
      {endpoints.isPending ? (
        <Loading label="Loading endpoints…" />
      ) : endpoints.isError ? (
        <ErrorState error={endpoints.error} title="Could not load the endpoints" />
      ) : endpoints.data.items.length === 0 ? (
        <Empty title="No endpoints yet">Add one below to receive events.</Empty>
      ) : (
        <Table caption="Webhook endpoints" className="table-endpoints">
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Event types</th>
              <th scope="col">State</th>
              <th scope="col">Added</th>
            </tr>
          </thead>
          <tbody>
            {endpoints.data.items.map((e) => (
              <tr key={e.id}>
                <td>
                  <Link to="/integrations/endpoints/$id" params={{ id: e.id }}>
                    {e.url}
                  </Link>
                  {e.description && <div className="muted">{e.description}</div>}
                </td>
                <td>{e.eventTypes.join(", ")}</td>
                <td>
                  <span className={`badge ${e.enabled ? "badge-success" : "badge-danger"}`}>
                    {e.enabled ? "Enabled" : "Disabled"}
                  </span>
                  {e.failingSince && <div className="muted">failing since {dateTime(e.failingSince)}</div>}
                </td>
                <td>{dateTime(e.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <CreateEndpointForm onCreated={setSecret} />
    </>
  );
}
