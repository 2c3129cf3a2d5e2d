// Events out: the event log (GET /events), the shop's webhook endpoints, their deliveries and attempts.
import { z } from "zod";
import {
  intParam,
  jsonSchemaOf,
  textInput,
  ZCountSchema,
  ZStrictBooleanSchema,
  ZTimestampSchema,
  ZUuidSchema,
} from "./common.ts";

/** Every kind of event the log holds, in the order the README lists them. */
export const EVENT_TYPES = [
  "purchase.completed",
  "credit.received",
  "refund.created",
  "adjustment.created",
  "user.registered",
  "user.activated",
  "user.disabled",
  "user.enabled",
  "product.created",
  "product.updated",
  "product.deleted",
  "product.restored",
  "webhook_endpoint.disabled",
] as const;
export const ZEventTypeSchema = z.enum(EVENT_TYPES);
export type TEventType = z.infer<typeof ZEventTypeSchema>;

/** A position in the log: a seq as text (digits), so it survives any JSON parser. */
export const ZSeqCursorSchema = z
  .string()
  .regex(/^[0-9]{1,18}$/, "must be an event's seq (digits)")
  .meta({ description: "An event's seq: the page starts after it", example: "1042" });

export const ZEventSchema = z.object({
  id: ZUuidSchema.meta({ description: "Unique per event: the `webhook-id` of its deliveries, `Nats-Msg-Id` on NATS" }),
  type: ZEventTypeSchema,
  seq: ZCountSchema.meta({ description: "Increases in commit order (gaps possible); page with `after`" }),
  createdAt: ZTimestampSchema,
  data: z
    .record(z.string(), z.unknown())
    .meta({ description: "The resource as the API shows it: a transaction, a product, a user summary" }),
});
export type TEvent = z.infer<typeof ZEventSchema>;

export const ZListEventsInputSchema = z.object({
  after: ZSeqCursorSchema.optional(),
  type: ZEventTypeSchema.optional(),
  limit: intParam({ min: 1, max: 500 }).default(100),
});
export type TListEventsInput = z.output<typeof ZListEventsInputSchema>;

export const ZEventPageSchema = z.object({
  items: z.array(ZEventSchema),
  nextCursor: ZSeqCursorSchema.nullable().meta({
    description: "Pass as `after` for the next page; null when this page reached the end of the log (for now)",
  }),
});

export const ZEventIdInputSchema = z.object({ id: ZUuidSchema });

// ── Webhook endpoints ────────────────────────────────────────────────────────────────────────────────

export const ZWebhookUrlSchema = textInput()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }))
  .meta({ override: jsonSchemaOf({ type: "string", format: "uri", maxLength: 2000 }) });

export const ZEndpointEventTypesSchema = z.array(ZEventTypeSchema).min(1).max(EVENT_TYPES.length);

export const ZCreateWebhookEndpointInputSchema = z.object({
  url: ZWebhookUrlSchema,
  eventTypes: ZEndpointEventTypesSchema,
  description: textInput().trim().max(500).default(""),
});
export type TCreateWebhookEndpointInput = z.output<typeof ZCreateWebhookEndpointInputSchema>;

export const ZUpdateWebhookEndpointInputSchema = z.object({
  id: ZUuidSchema,
  url: ZWebhookUrlSchema.optional(),
  eventTypes: ZEndpointEventTypesSchema.optional(),
  description: textInput().trim().max(500).optional(),
  enabled: ZStrictBooleanSchema.optional(),
});
export type TUpdateWebhookEndpointInput = z.output<typeof ZUpdateWebhookEndpointInputSchema>;

export const ZWebhookEndpointIdInputSchema = z.object({ id: ZUuidSchema });

export const ZWebhookEndpointSchema = z.object({
  id: ZUuidSchema,
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(ZEventTypeSchema),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  failingSince: ZTimestampSchema.nullable(),
  lastSuccessAt: ZTimestampSchema.nullable(),
  previousSecretExpiresAt: ZTimestampSchema.nullable().meta({
    description: "After a rotation: until when the previous secret still signs beside the new one",
  }),
  createdAt: ZTimestampSchema,
  updatedAt: ZTimestampSchema,
});
export type TWebhookEndpoint = z.infer<typeof ZWebhookEndpointSchema>;

export const ZWebhookSecretSchema = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/=]+$/)
  .meta({ description: "The signing secret (Standard Webhooks `whsec_` + base64): shown only in this answer" });

export const ZWebhookEndpointWithSecretSchema = ZWebhookEndpointSchema.extend({ secret: ZWebhookSecretSchema });

export const ZWebhookEndpointListSchema = z.object({ items: z.array(ZWebhookEndpointSchema) });

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export const ZDeliveryStatusSchema = z.enum(DELIVERY_STATUSES);

export const ZWebhookAttemptSchema = z.object({
  attempt: ZCountSchema,
  startedAt: ZTimestampSchema,
  durationMs: ZCountSchema,
  statusCode: z.number().int().nullable(),
  responseBody: z.string().nullable().meta({ description: "The first 1 KB of the answer" }),
  error: z.string().nullable(),
  outcome: z.enum(["delivered", "failed"]),
});

export const ZWebhookEndpointDeliverySchema = z.object({
  id: ZUuidSchema,
  endpointId: ZUuidSchema,
  eventId: ZUuidSchema.nullable(),
  messageId: ZUuidSchema.meta({ description: "The `webhook-id` header of every attempt" }),
  eventType: z.string(),
  status: ZDeliveryStatusSchema,
  attempts: z.array(ZWebhookAttemptSchema),
  nextAttemptAt: ZTimestampSchema.nullable().meta({ description: "When pending: when the next attempt is due" }),
  createdAt: ZTimestampSchema,
  deliveredAt: ZTimestampSchema.nullable(),
});
export type TWebhookEndpointDelivery = z.infer<typeof ZWebhookEndpointDeliverySchema>;

export const ZListEndpointDeliveriesInputSchema = z.object({
  id: ZUuidSchema,
  status: ZDeliveryStatusSchema.optional(),
  before: z
    .string()
    .regex(/^[0-9]{1,18}$/, "must be a page's nextCursor")
    .optional()
    .meta({ description: "A page's nextCursor: the page starts after (older than) it" }),
  limit: intParam({ min: 1, max: 100 }).default(20),
});

export const ZEndpointDeliveryPageSchema = z.object({
  items: z.array(ZWebhookEndpointDeliverySchema),
  nextCursor: z
    .string()
    .nullable()
    .meta({ description: "Pass as `before` for older deliveries; null on the last page" }),
});

export const ZWebhookDeliveryIdInputSchema = z.object({ id: ZUuidSchema });
