// The one form hook: react-hook-form, checking the values with a contract's zod schema through
// @hookform/resolvers' zodResolver, so the browser and the API apply the same rules. Errors show from
// the first submit on and then follow every change (not on blur: an error appearing as the pointer
// presses "Save" would move the button away before the click lands); a failed submit puts focus on
// the first invalid field; the API's own validation issues land on the same fields.
import { zodResolver } from "@hookform/resolvers/zod";
import { type DefaultValues, type FieldValues, type Path, type Resolver, useForm } from "react-hook-form";
import type { z } from "zod";
import { errorIssues } from "./errors.ts";

/** A form's values are the schema's input; a valid submit gets the schema's output (trimmed, normalised). */
export function useZodForm<S extends z.ZodType<unknown, FieldValues>>(
  schema: S,
  options: {
    defaultValues: DefaultValues<z.input<S>>;
    /** Each field's label, which starts its error sentence: "Title" + "is required". */
    labels: Record<keyof z.input<S> & string, string>;
  },
) {
  type Values = z.input<S>;
  const { labels } = options;
  const form = useForm<Values, unknown, z.output<S>>({
    resolver: zodResolver(schema) as Resolver<Values, unknown, z.output<S>>,
    defaultValues: options.defaultValues,
    mode: "onSubmit",
    reValidateMode: "onChange",
    shouldFocusError: true,
  });
  const { errors } = form.formState;

  const isField = (key: unknown): key is keyof Values & string => typeof key === "string" && key in labels;

  return {
    ...form,
    /** "Title is required", or undefined. */
    fieldError(name: keyof Values & string): string | undefined {
      const message = errors[name]?.message;
      return typeof message === "string" ? `${labels[name]} ${message}` : undefined;
    },
    /** What the API refused that belongs to no field (an object-level rule), as sentences. */
    formError: errors.root?.server?.message,
    /** Puts the API's validation issues on their fields; true when there were any. */
    showServerIssues(error: unknown): boolean {
      const issues = errorIssues(error);
      const rest: string[] = [];
      const seen = new Set<string>();
      for (const issue of issues) {
        const key = issue.path[0];
        if (!isField(key)) {
          rest.push(issue.message.charAt(0).toUpperCase() + issue.message.slice(1));
        } else if (!seen.has(key)) {
          seen.add(key);
          form.setError(key as Path<Values>, { type: "server", message: issue.message });
        }
      }
      if (rest.length > 0) form.setError("root.server", { type: "server", message: rest.join(" ") });
      return issues.length > 0;
    },
  };
}
