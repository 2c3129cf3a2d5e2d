// The shop's webhook endpoints: create (the secret shown once), read, change, delete, rotate the
// secret, send a test; their deliveries and a delivery's retry. Every write commits with its audit entry.
import { randomUUID } from "node:crypto";
import type { TCreateWebhookEndpointInput, TUpdateWebhookEndpointInput, TWebhookEndpoint } from "@shop/contracts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { urlRefusal } from "../outbox/safe-http.ts";
import { newSigningSecret } from "../outbox/signing.ts";
import { webhookEndpointDeliveriesRepository } from "../repositories/webhook-endpoint-deliveries.repository.ts";
import { webhookEndpointsRepository } from "../repositories/webhook-endpoints.repository.ts";
import { transaction } from "../repositories/transaction.ts";
import { type Audited, audit, changedFields } from "./audit.service.ts";

type Admin = Deps & { audited: Audited };

/** How long a rotated-out secret keeps signing beside the new one. */
export const ROTATION_GRACE_SECONDS = 24 * 3600;

const notFound = () => new AppError("WEBHOOK_ENDPOINT_NOT_FOUND", "Webhook endpoint not found");

function checkUrl({ config }: Deps, url: string) {
  const refusal = urlRefusal(url, {
    allowPrivate: config.events.allowPrivateUrls,
    requireHttps: config.events.requireHttps,
  });
  if (refusal) throw new AppError("WEBHOOK_URL_REFUSED", `This URL cannot receive webhooks: ${refusal}`);
}

const fields = (e: TWebhookEndpoint) => ({
  url: e.url,
  description: e.description,
  eventTypes: e.eventTypes,
  enabled: e.enabled,
});

export async function createEndpoint(deps: Admin, input: TCreateWebhookEndpointInput) {
  checkUrl(deps, input.url);
  const secret = newSigningSecret();
  return transaction(deps.db, async (tx) => {
    const endpoint = await webhookEndpointsRepository({ sql: tx }).insert({ ...input, secret });
    // The secret is never audited: only that an endpoint now exists, and where.
    await audit(tx, deps.audited, {
      action: "webhook_endpoint.create",
      targetType: "webhook_endpoint",
      targetId: endpoint.id,
      after: fields(endpoint),
    });
    return { ...endpoint, secret };
  });
}

export async function listEndpoints({ db }: Deps) {
  return { items: await webhookEndpointsRepository(db).list() };
}

export async function getEndpoint({ db }: Deps, id: string) {
  return (await webhookEndpointsRepository(db).byId(id)) ?? throwError(notFound());
}

export async function updateEndpoint(deps: Admin, input: TUpdateWebhookEndpointInput) {
  const { id, ...changes } = input;
  if (changes.url !== undefined) checkUrl(deps, changes.url);
  return transaction(deps.db, async (tx) => {
    const endpoints = webhookEndpointsRepository({ sql: tx });
    const before = (await endpoints.byId(id)) ?? throwError(notFound());
    const after = (await endpoints.update(id, changes)) ?? throwError(notFound());
    await audit(tx, deps.audited, {
      action: "webhook_endpoint.update",
      targetType: "webhook_endpoint",
      targetId: id.toLowerCase(),
      ...changedFields(fields(before), fields(after)),
    });
    return after;
  });
}

export function deleteEndpoint(deps: Admin, id: string) {
  return transaction(deps.db, async (tx) => {
    const deleted = (await webhookEndpointsRepository({ sql: tx }).delete(id)) ?? throwError(notFound());
    await audit(tx, deps.audited, {
      action: "webhook_endpoint.delete",
      targetType: "webhook_endpoint",
      targetId: deleted.id,
      before: fields(deleted),
    });
    return deleted;
  });
}

/** A new secret; the previous one keeps signing beside it for 24 h (two signatures per message). */
export function rotateSecret(deps: Admin, id: string) {
  const secret = newSigningSecret();
  return transaction(deps.db, async (tx) => {
    const endpoint =
      (await webhookEndpointsRepository({ sql: tx }).rotate(id, secret, ROTATION_GRACE_SECONDS)) ??
      throwError(notFound());
    await audit(tx, deps.audited, {
      action: "webhook_endpoint.rotate_secret",
      targetType: "webhook_endpoint",
      targetId: endpoint.id,
      after: { previousSecretExpiresAt: endpoint.previousSecretExpiresAt },
    });
    return { ...endpoint, secret };
  });
}

/** A `ping` message to this endpoint only (not in the event log), delivered like any event. */
export function sendTest(deps: Admin, id: string) {
  const messageId = randomUUID();
  const body = {
    id: messageId,
    type: "ping",
    seq: null,
    createdAt: new Date().toISOString(),
    data: { endpointId: id.toLowerCase(), message: "A test message from the shop" },
  };
  return transaction(deps.db, async (tx) => {
    const delivery =
      (await webhookEndpointDeliveriesRepository({ sql: tx }).ping(id, messageId, body)) ?? throwError(notFound());
    await audit(tx, deps.audited, {
      action: "webhook_endpoint.test",
      targetType: "webhook_endpoint",
      targetId: delivery.endpointId,
      after: { deliveryId: delivery.id },
    });
    return delivery;
  });
}

export async function listDeliveries(
  { db }: Deps,
  input: {
    id: string;
    status?: "pending" | "delivered" | "failed" | undefined;
    before?: string | undefined;
    limit: number;
  },
) {
  if (!(await webhookEndpointsRepository(db).byId(input.id))) throw notFound();
  return webhookEndpointDeliveriesRepository(db).list({ endpointId: input.id, ...input });
}

/** Due again now, whatever its state (failed, delivered, or pending a later retry). */
export function retryDelivery(deps: Admin, id: string) {
  return transaction(deps.db, async (tx) => {
    const deliveries = webhookEndpointDeliveriesRepository({ sql: tx });
    const before =
      (await deliveries.byId(id)) ?? throwError(new AppError("WEBHOOK_DELIVERY_NOT_FOUND", "Delivery not found"));
    const after =
      (await deliveries.retry(id)) ?? throwError(new AppError("WEBHOOK_DELIVERY_NOT_FOUND", "Delivery not found"));
    await audit(tx, deps.audited, {
      action: "webhook_delivery.retry",
      targetType: "webhook_delivery",
      targetId: after.id,
      before: { status: before.status },
      after: { status: after.status },
    });
    return after;
  });
}

function throwError(error: Error): never {
  throw error;
}
