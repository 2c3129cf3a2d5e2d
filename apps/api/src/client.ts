// A typed tRPC client for any TypeScript program: createClient("http://localhost:3000", token).
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { AppRouter } from "./routers/_app.ts";

export function createClient(baseUrl: string, token?: string | (() => string | undefined)) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        maxItems: 20, // the server refuses larger batches (MAX_TRPC_BATCH in app.ts)
        url: `${baseUrl.replace(/\/+$/, "")}/trpc`,
        headers() {
          const value = typeof token === "function" ? token() : token;
          return value ? { Authorization: `Bearer ${value}` } : {};
        },
      }),
    ],
  });
}

export type ShopClient = ReturnType<typeof createClient>;
