// Reading the API's errors. The SPA branches on the domain code the API puts into every error
// (`error.data.appCode`: TOKEN_EXPIRED, PRODUCT_NOT_FOUND, RATE_LIMITED, … — the table is APP_ERRORS in
// apps/api/src/errors.ts), never on message text: a message is only ever shown.
import type { AppRouter } from "@shop/api";
import { TRPCClientError } from "@trpc/client";

export type ApiError = TRPCClientError<AppRouter>;

/** Every domain code the API sends, typed from its router: a misspelt code fails the typecheck. */
export type AppCode = NonNullable<ApiError["data"]>["appCode"];

export function isApiError(error: unknown): error is ApiError {
  return error instanceof TRPCClientError;
}

/** The API's domain error code, if the server answered with one. */
export function appCode(error: unknown): AppCode | undefined {
  return isApiError(error) ? error.data?.appCode : undefined;
}

/** The HTTP status of the API's answer; undefined when there was no answer (network failure). */
export function httpStatus(error: unknown): number | undefined {
  return isApiError(error) ? error.data?.httpStatus : undefined;
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
 * The validation issues of an INVALID_INPUT answer (the API's errorFormatter adds zod's issues to
 * error.data). Checked at run time: they are shown next to form fields.
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
    if (appCode(error) === "INTERNAL_ERROR") return "The server failed to answer. Try again in a moment.";
    const issue = errorIssues(error)[0];
    if (issue) return issue.path.length > 0 ? `${issue.path.join(".")} ${issue.message}` : issue.message;
    return error.message;
  }
  return error instanceof Error ? error.message : "Something went wrong.";
}
