// API keys: credentials for a server-to-server client (the shop's own backend), made by an
// administrator, sent as `Authorization: Bearer shop_sk_…` like an access token.
import { z } from "zod";
import { jsonSchemaOf, textInput, ZTimestampSchema, ZUuidSchema } from "./common.ts";

/** Every key starts with this, so a leaked key is recognisable (secret scanners, logs). */
export const API_KEY_PREFIX = "shop_sk_";

/**
 * What a key may do. `read`: every administrative GET (and the product list); `write`: products and
 * users; `money`: refunds, adjustments, captures and voids. Key management is for people only.
 */
export const API_KEY_SCOPES = ["read", "write", "money"] as const;
export const ZApiKeyScopeSchema = z.enum(API_KEY_SCOPES);
export type TApiKeyScope = z.infer<typeof ZApiKeyScopeSchema>;

export const ZCreateApiKeyInputSchema = z.object({
  name: textInput().trim().min(1, "is required").max(100, "must be at most 100 characters").meta({
    description: "What the key is for",
    example: "shipping backend",
  }),
  scopes: z
    .array(ZApiKeyScopeSchema)
    .min(1, "at least one scope")
    .max(3)
    .refine((s) => new Set(s).size === s.length, "each scope at most once")
    .meta({
      example: ["read", "money"],
      override: jsonSchemaOf({
        type: "array",
        items: { type: "string", enum: [...API_KEY_SCOPES] },
        minItems: 1,
        maxItems: 3,
        uniqueItems: true,
      }),
    }),
});
export type TCreateApiKeyInput = z.input<typeof ZCreateApiKeyInputSchema>;

export const ZApiKeySchema = z.object({
  id: ZUuidSchema,
  name: z.string(),
  prefix: z.string().meta({ description: "The key's first characters, to recognise it", example: "shop_sk_Xb3q" }),
  scopes: z.array(ZApiKeyScopeSchema),
  createdBy: z.object({ id: ZUuidSchema, login: z.string() }),
  createdAt: ZTimestampSchema,
  lastUsedAt: ZTimestampSchema.nullable().meta({ description: "Kept to the minute; null if never used" }),
  revokedAt: ZTimestampSchema.nullable(),
});
export type TApiKey = z.infer<typeof ZApiKeySchema>;

export const ZCreatedApiKeySchema = ZApiKeySchema.extend({
  key: z.string().meta({
    description: "The key itself: shown this once, never again (only its hash is stored)",
    example: "shop_sk_Xb3qV0m2b1o5pQe6tXw9yZ8aBcDeFgHiJkLmNoPqRsT",
  }),
});
export type TCreatedApiKey = z.infer<typeof ZCreatedApiKeySchema>;

export const ZApiKeyListSchema = z.object({
  items: z.array(ZApiKeySchema).meta({ description: "Every key, newest first, revoked ones included" }),
});

export const ZApiKeyIdInputSchema = z.object({ id: ZUuidSchema });
