// zod issues → one message per form field ("Title is required"), for inline errors.
import type { Issue } from "./trpc.ts";

export type FieldErrors<T> = Partial<Record<keyof T & string, string>>;

export function fieldErrors<T>(issues: readonly Issue[], labels: Record<keyof T & string, string>): FieldErrors<T> {
  const errors: FieldErrors<T> = {};
  for (const issue of issues) {
    const key = issue.path[0];
    if (typeof key !== "string" || !(key in labels)) continue;
    const field = key as keyof T & string;
    errors[field] ??= `${labels[field]} ${issue.message}`;
  }
  return errors;
}

/** Issues that belong to no field (an object-level rule), as sentences. */
export function formErrors(issues: readonly Issue[], labels: Record<string, string>): string[] {
  return issues
    .filter((issue) => typeof issue.path[0] !== "string" || !(issue.path[0] in labels))
    .map((issue) => issue.message.charAt(0).toUpperCase() + issue.message.slice(1));
}
