import {
  ZApiKeyIdInputSchema,
  ZApiKeyListSchema,
  ZApiKeySchema,
  ZCreateApiKeyInputSchema,
  ZCreatedApiKeySchema,
} from "@shop/contracts";
import { z } from "zod";
import { createApiKey, listApiKeys, revokeApiKey } from "../services/api-keys.service.ts";
import { adminProcedure, router } from "../trpc.ts";

// Key management is for people: create and revoke declare no scope, so no API key can call them (a key
// cannot make or revoke keys); the list is an administrator's GET like any other (scope read).
export const apiKeysRouter = router({
  create: adminProcedure
    .meta({
      created: true,
      openapi: {
        method: "POST",
        path: "/api-keys",
        protect: true,
        tags: ["admin"],
        summary: "Create an API key for a server-to-server client",
        description:
          "201 with the key in `key`: shown this once (only its hash is stored). Send it as " +
          "`Authorization: Bearer shop_sk_…`. Scopes: read (every administrative GET and the product list), " +
          "write (products, users), money (refunds, adjustments, captures, voids); a call outside them is 403 " +
          "INSUFFICIENT_SCOPE. A key works while it is not revoked and its creator is an active administrator. " +
          "Made by a person: API keys cannot create keys.",
        successDescription: "Created (status 201)",
      },
    })
    .input(ZCreateApiKeyInputSchema)
    .output(ZCreatedApiKeySchema)
    .mutation(({ ctx, input }) => createApiKey(ctx, input)),

  list: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/api-keys",
        protect: true,
        tags: ["admin"],
        summary: "Every API key (never the key itself)",
        description: "Name, prefix, scopes, who created it, when it was last used (to the minute), revoked or not.",
      },
    })
    .input(z.void())
    .output(ZApiKeyListSchema)
    .query(async ({ ctx }) => ({ items: await listApiKeys(ctx) })),

  revoke: adminProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/api-keys/{id}",
        protect: true,
        tags: ["admin"],
        summary: "Revoke an API key",
        description:
          "From the next call on, every server process refuses the key (401 TOKEN_REVOKED): keys are looked up " +
          "at every call, nothing caches them. Revoking a revoked key changes nothing. Made by a person only.",
      },
      appErrors: ["API_KEY_NOT_FOUND"],
    })
    .input(ZApiKeyIdInputSchema)
    .output(ZApiKeySchema)
    .mutation(({ ctx, input }) => revokeApiKey(ctx, input.id)),
});
