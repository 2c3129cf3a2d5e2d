// The typed tRPC client (types come from the API's router, nothing is written twice), the TanStack
// Query client, and the options proxy the pages use: useQuery(trpc.products.list.queryOptions(…)).
import type { AppRouter, RouterInputs, RouterOutputs } from "@shop/api";
import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { EXPIRED_NOTICE, endSession, getSession } from "./session.ts";

export type { RouterInputs, RouterOutputs };
export type Product = RouterOutputs["products"]["get"];
export type ProductPage = RouterOutputs["products"]["list"];
export type UserSummary = RouterOutputs["adminUsers"]["list"]["items"][number];
export type UserPage = RouterOutputs["adminUsers"]["list"];
export type UserDetail = RouterOutputs["adminUsers"]["get"];
export type Transaction = RouterOutputs["adminUsers"]["transactions"]["items"][number];

export type ApiError = TRPCClientError<AppRouter>;

export function isApiError(error: unknown): error is ApiError {
  return error instanceof TRPCClientError;
}

/** The tRPC error code ("UNAUTHORIZED", "BAD_REQUEST", …), if the server answered with one. */
export function errorCode(error: unknown): string | undefined {
  return isApiError(error) ? error.data?.code : undefined;
}

/** The API's domain error code ("TOKEN_EXPIRED", "INSUFFICIENT_FUNDS", …): what the SPA branches on. */
export function appCode(error: unknown): string | undefined {
  return isApiError(error) ? (error.data as { appCode?: string } | undefined)?.appCode : undefined;
}

export interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

function isIssue(value: unknown): value is Issue {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.message === "string" && Array.isArray(v.path);
}

/**
 * The validation issues of a BAD_REQUEST (the API's errorFormatter adds zod's issues to error.data).
 * Read at run time: the formatter's two-branch return type does not reach the client's error type.
 */
export function errorIssues(error: unknown): Issue[] {
  if (!isApiError(error) || !error.data) return [];
  const issues: unknown = (error.data as { issues?: unknown }).issues;
  return Array.isArray(issues) ? issues.filter(isIssue) : [];
}

/** A sentence for a toast or an alert. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) {
    if (!error.data) return "Cannot reach the server. Check your connection and try again.";
    if (error.data.code === "INTERNAL_SERVER_ERROR") return "The server failed to answer. Try again in a moment.";
    const issue = errorIssues(error)[0];
    if (issue) return issue.path.length > 0 ? `${issue.path.join(".")} ${issue.message}` : issue.message;
    return error.message;
  }
  return error instanceof Error ? error.message : "Something went wrong.";
}

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    httpBatchLink({
      url: "/trpc",
      // A call may carry its own token (sign-in checks the new token before keeping it).
      headers({ opList }) {
        const given = opList[0]?.context.token;
        const token = typeof given === "string" ? given : getSession()?.token;
        return token ? { Authorization: `Bearer ${token}` } : {};
      },
    }),
  ],
});

/**
 * A signed-in call refused as UNAUTHORIZED (expired or revoked token) or FORBIDDEN (this account is no
 * longer an active administrator) ends the session: back to the sign-in page, saying why.
 */
function onApiError(error: unknown) {
  if (!getSession()) return;
  const code = errorCode(error);
  if (code === "UNAUTHORIZED") {
    endSession(appCode(error) === "TOKEN_EXPIRED" ? EXPIRED_NOTICE : `${errorMessage(error)}.`);
  } else if (code === "FORBIDDEN") {
    endSession(`Access refused: ${errorMessage(error)}.`);
  }
}

const NO_RETRY = new Set(["BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "PAYMENT_REQUIRED"]);

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      retry: (failures, error) => !NO_RETRY.has(errorCode(error) ?? "") && failures < 2,
    },
    mutations: { retry: false },
  },
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
