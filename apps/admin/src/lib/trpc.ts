// The typed tRPC client (types come from the API's router, nothing is written twice), the TanStack
// Query client, and the options proxy the features' api hooks use: trpc.products.list.queryOptions(…).
import type { AppRouter, RouterInputs, RouterOutputs } from "@shop/api";
import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { type OperationContext, createTRPCClient, httpBatchLink, httpLink, splitLink } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { type AppCode, appCode, errorMessage, httpStatus } from "./errors.ts";
import { EXPIRED_NOTICE, endSession, getSession } from "./session.ts";

export type { RouterInputs, RouterOutputs };

/** What a page adds to a feature's mutation hook (a toast, a navigation); the cache updates are the hook's. */
export interface MutationCallbacks<TData, TVariables> {
  onSuccess?(data: TData, variables: TVariables): void;
  onError?(error: unknown, variables: TVariables): void;
}

/** The bearer of a call: its own token (sign-in checks the new token before keeping it), or the session's. */
function authorization(context: OperationContext): Record<string, string> {
  const given = context.token;
  const token = typeof given === "string" ? given : getSession()?.token;
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** The context of a call that must not wait in a batch for the others (ALONE), e.g. a slow report. */
export const ALONE = { trpc: { context: { alone: true } } };

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      // A call with an Idempotency-Key (a money move) goes alone: the header belongs to one request, and
      // a batch shares one set of headers. So does a call marked `alone`: a batch is answered when its
      // slowest call is, so a slow report would hold back everything asked with it (the dashboard's
      // books, 14 ms at a year of data, behind its /stats, 215–640 ms).
      condition: (op) => typeof op.context.idempotencyKey === "string" || op.context.alone === true,
      true: httpLink({
        url: "/trpc",
        headers: ({ op }) => {
          const key = op.context.idempotencyKey;
          return { ...authorization(op.context), ...(typeof key === "string" ? { "Idempotency-Key": key } : {}) };
        },
      }),
      false: httpBatchLink({
        url: "/trpc",
        headers: ({ opList }) => authorization(opList[0]?.context ?? {}),
      }),
    }),
  ],
});

const sentence = (error: unknown) => `${errorMessage(error)}.`;
const refused = (error: unknown) => `Access refused: ${errorMessage(error)}.`;

/**
 * The answers that end a signed-in session, and what the sign-in page then says: the token expired
 * or was revoked, or this account is no longer an active administrator.
 */
const SESSION_ENDS: Partial<Record<AppCode, (error: unknown) => string>> = {
  TOKEN_EXPIRED: () => EXPIRED_NOTICE,
  TOKEN_REVOKED: sentence,
  TOKEN_INVALID: sentence,
  AUTH_REQUIRED: sentence,
  ACCOUNT_DISABLED: refused,
  NOT_ACTIVATED: refused,
  ADMIN_ONLY: refused,
};

function onApiError(error: unknown) {
  if (!getSession()) return;
  const code = appCode(error);
  const notice = code === undefined ? undefined : SESSION_ENDS[code];
  if (notice) endSession(notice(error));
}

/** Retried: what a retry can fix — no answer at all, or the server failing (5xx, 408, 429). */
function retryable(error: unknown): boolean {
  const status = httpStatus(error);
  return status === undefined || status >= 500 || status === 408 || status === 429;
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      retry: (failures, error) => retryable(error) && failures < 2,
    },
    mutations: { retry: false },
  },
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
