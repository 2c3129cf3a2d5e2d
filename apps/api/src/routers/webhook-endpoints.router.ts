import {
  ZCreateWebhookEndpointInputSchema,
  ZEndpointDeliveryPageSchema,
  ZListEndpointDeliveriesInputSchema,
  ZUpdateWebhookEndpointInputSchema,
  ZWebhookDeliveryIdInputSchema,
  ZWebhookEndpointDeliverySchema,
  ZWebhookEndpointIdInputSchema,
  ZWebhookEndpointListSchema,
  ZWebhookEndpointSchema,
  ZWebhookEndpointWithSecretSchema,
} from "@shop/contracts";
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  retryDelivery,
  rotateSecret,
  sendTest,
  updateEndpoint,
} from "../services/webhook-endpoints.service.ts";
import { adminProcedure, router } from "../trpc.ts";

const tags = ["webhook endpoints"];

export const webhookEndpointsRouter = router({
  create: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/webhook-endpoints",
        protect: true,
        tags,
        summary: "Add an endpoint that receives events (the signing secret is in this answer only)",
        description:
          "Events of `eventTypes` are POSTed to `url`, signed as the Standard Webhooks specification says " +
          "(`webhook-id`, `webhook-timestamp`, `webhook-signature`). Answers 201 with `secret`: keep it, it is never shown again.",
      },
      appErrors: ["WEBHOOK_URL_REFUSED"],
      created: true,
    })
    .input(ZCreateWebhookEndpointInputSchema)
    .output(ZWebhookEndpointWithSecretSchema)
    .mutation(({ ctx, input }) => createEndpoint(ctx, input)),

  list: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/webhook-endpoints",
        protect: true,
        tags,
        summary: "Every endpoint",
        description: "Oldest first; secrets are never shown again.",
      },
    })
    .input(ZWebhookEndpointIdInputSchema.omit({ id: true }))
    .output(ZWebhookEndpointListSchema)
    .query(({ ctx }) => listEndpoints(ctx)),

  get: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/webhook-endpoints/{id}",
        protect: true,
        tags,
        summary: "One endpoint",
        description: "With why the dispatcher disabled it (if it did) and since when it has been failing.",
      },
      appErrors: ["WEBHOOK_ENDPOINT_NOT_FOUND"],
    })
    .input(ZWebhookEndpointIdInputSchema)
    .output(ZWebhookEndpointSchema)
    .query(({ ctx, input }) => getEndpoint(ctx, input.id)),

  update: adminProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/webhook-endpoints/{id}",
        protect: true,
        tags,
        summary: "Change an endpoint's URL, event types, description, or enable / disable it",
        description: "Enabling again also delivers what waited while it was disabled.",
      },
      appErrors: ["WEBHOOK_ENDPOINT_NOT_FOUND", "WEBHOOK_URL_REFUSED"],
    })
    .input(ZUpdateWebhookEndpointInputSchema)
    .output(ZWebhookEndpointSchema)
    .mutation(({ ctx, input }) => updateEndpoint(ctx, input)),

  delete: adminProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/webhook-endpoints/{id}",
        protect: true,
        tags,
        summary: "Delete an endpoint, with its deliveries",
        description: "Nothing more is sent to it; attempts in flight finish and are dropped.",
      },
      appErrors: ["WEBHOOK_ENDPOINT_NOT_FOUND"],
    })
    .input(ZWebhookEndpointIdInputSchema)
    .output(ZWebhookEndpointSchema)
    .mutation(({ ctx, input }) => deleteEndpoint(ctx, input.id)),

  rotateSecret: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/webhook-endpoints/{id}/rotate-secret",
        protect: true,
        tags,
        summary: "A new signing secret (in this answer only); the old one keeps signing beside it for 24 h",
        description:
          "During those 24 hours every message carries two signatures in `webhook-signature` (new first), so " +
          "the receiver can switch to the new secret at any time.",
      },
      appErrors: ["WEBHOOK_ENDPOINT_NOT_FOUND"],
    })
    .input(ZWebhookEndpointIdInputSchema)
    .output(ZWebhookEndpointWithSecretSchema)
    .mutation(({ ctx, input }) => rotateSecret(ctx, input.id)),

  test: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/webhook-endpoints/{id}/test",
        protect: true,
        tags,
        summary: "Send a `ping` message to this endpoint (signed and retried like an event)",
        description: "Answers 201 with the delivery; the ping is not in the event log and goes to this endpoint only.",
      },
      appErrors: ["WEBHOOK_ENDPOINT_NOT_FOUND"],
      created: true,
    })
    .input(ZWebhookEndpointIdInputSchema)
    .output(ZWebhookEndpointDeliverySchema)
    .mutation(({ ctx, input }) => sendTest(ctx, input.id)),

  deliveries: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/webhook-endpoints/{id}/deliveries",
        protect: true,
        tags,
        summary: "An endpoint's deliveries, newest first, each with every attempt",
        description:
          "Each attempt: its HTTP status (null: no answer), duration, the answer's first 1 KB and the error. Page " +
          "with `before` = the previous page's nextCursor.",
      },
      appErrors: ["WEBHOOK_ENDPOINT_NOT_FOUND"],
    })
    .input(ZListEndpointDeliveriesInputSchema)
    .output(ZEndpointDeliveryPageSchema)
    .query(({ ctx, input }) => listDeliveries(ctx, input)),

  retryDelivery: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/webhook-deliveries/{id}/retry",
        protect: true,
        tags,
        summary: "Attempt a delivery again now (failed, delivered or waiting for a retry)",
        description: "One more attempt, due now, with the same webhook-id: the receiver de-duplicates on it.",
      },
      appErrors: ["WEBHOOK_DELIVERY_NOT_FOUND"],
    })
    .input(ZWebhookDeliveryIdInputSchema)
    .output(ZWebhookEndpointDeliverySchema)
    .mutation(({ ctx, input }) => retryDelivery(ctx, input.id)),
});
