import { z } from "zod";

export const ZUuidSchema = z.uuid({ message: "must be a UUID" });

/**
 * The one rule for text a client sends (every free-text field of every input: titles, descriptions,
 * reasons, searches, logins, passwords, filters; body and query, REST and tRPC alike): no control
 * character (U+0000–U+001F, U+007F–U+009F) and no lone surrogate (half of a UTF-16 pair, which no
 * UTF-8 text can hold: PostgreSQL's jsonb refuses it, its text stores U+FFFD in its place, bcrypt
 * hashes it as U+FFFD). A `multiline` field (a description) also takes tab, line feed and carriage
 * return. Broken text is a 400 INVALID_INPUT before any service runs, so nothing is written.
 *
 * The rule is a pattern without the `u` flag that matches well-formed text only (a surrogate is
 * accepted only as half of a pair), so the document carries it too and any client can check it.
 */
export const TEXT_PATTERN =
  "^(?:[^\\u0000-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF])*$";
export const MULTILINE_TEXT_PATTERN =
  "^(?:[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF])*$";
const TEXT = new RegExp(TEXT_PATTERN);
const MULTILINE_TEXT = new RegExp(MULTILINE_TEXT_PATTERN);
export const TEXT_RULE_MESSAGE = "may not contain control characters or unpaired surrogates (broken UTF-16)";
export const MULTILINE_TEXT_RULE_MESSAGE =
  "may not contain control characters (other than tab and line breaks) or unpaired surrogates (broken UTF-16)";

/** A string that follows the text rule above. Every free-text input field starts from this. */
export function textInput(options: { multiline?: boolean } = {}) {
  return options.multiline
    ? z.string().regex(MULTILINE_TEXT, MULTILINE_TEXT_RULE_MESSAGE)
    : z.string().regex(TEXT, TEXT_RULE_MESSAGE);
}

/** Whether a text follows the rule (for inputs that do not go through a schema: headers, raw bodies). */
export function isCleanText(text: string, options: { multiline?: boolean } = {}): boolean {
  return (options.multiline ? MULTILINE_TEXT : TEXT).test(text);
}

/**
 * For `.meta({ override })` (zod-openapi): the JSON Schema the document shows for a schema whose zod
 * form cannot say it (a union that a transform narrows, a pipe whose checks sit on its output side).
 */
export function jsonSchemaOf(schema: Record<string, unknown>) {
  return ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
    for (const key of Object.keys(jsonSchema))
      if (!["description", "example", "default"].includes(key)) delete jsonSchema[key];
    Object.assign(jsonSchema, schema);
  };
}

/** A database id in a response: a positive safe integer. */
export const ZNumericIdSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).meta({ example: 1042 });

/** A count in a response (totals, limits, offsets). */
export const ZCountSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** ISO 8601 timestamp in responses. */
export const ZTimestampSchema = z.iso.datetime().meta({ example: "2026-11-27T08:00:00.000Z" });

/**
 * A whole number given as a JSON number or as a query-string text. Deliberately not `z.coerce`:
 * coercion would read `true`, `""` or `[]` as numbers.
 */
export function intParam(options: { min: number; max: number; default?: number; maxMessage?: string }) {
  const schema = z
    .union([
      z.number(),
      z
        .string()
        .regex(/^-?[0-9]+$/, "must be a whole number")
        .transform(Number),
    ])
    .pipe(z.number().int("must be a whole number").min(options.min).max(options.max, options.maxMessage))
    // The document states what is accepted: a whole number in range (query values are its text).
    .meta({ override: jsonSchemaOf({ type: "integer", minimum: options.min, maximum: options.max }) });
  return options.default === undefined ? schema : schema.default(options.default);
}

/**
 * A JSON boolean, strictly. (A bare z.boolean() would be coerced by trpc-to-openapi, which reads the
 * string "false" as true; wrapped in a pipe it is left alone.)
 */
export const ZStrictBooleanSchema = z.boolean().pipe(z.boolean());

/** A boolean given as JSON or as the query-string text `true` / `false`. */
export const ZBoolParamSchema = z
  .union([z.boolean(), z.enum(["true", "false"], { message: "must be true or false" }).transform((v) => v === "true")])
  .pipe(z.boolean())
  .meta({ override: jsonSchemaOf({ type: "boolean" }) });

/**
 * A keyset cursor: opaque text from a page's `nextCursor` or `prevCursor`. A page read with a cursor
 * starts right after (or before) the row it names, so rows inserted meanwhile never shift it.
 */
export const ZCursorSchema = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9_-]+$/, "must be a page's nextCursor or prevCursor");

/** The deepest `offset` a listing takes; beyond it, cursors. */
export const MAX_OFFSET = 10_000;

export const ZPageInputSchema = z.object({
  limit: intParam({ min: 1, max: 100 }).default(20),
  /**
   * Kept for clients that page by position, bounded at 10,000 rows (as search engines bound theirs: a
   * deep offset reads and drops every row before it). A cursor is the way to page far, at any depth.
   */
  offset: intParam({
    min: 0,
    max: MAX_OFFSET,
    maxMessage: `goes to ${MAX_OFFSET} at most: page further with a cursor (nextCursor, or cursor=last)`,
  }).default(0),
  /** Keyset paging: a page's `nextCursor` or `prevCursor` (then `offset` is ignored). */
  cursor: ZCursorSchema.optional(),
});

export const ZSearchSchema = textInput().trim().max(100).optional();

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    /** The filter's row count: exact, or an estimate when counting would cost more than the page. */
    total: ZCountSchema,
    /** True when `total` is the planner's estimate, not a count (shown as "about N"). */
    totalIsEstimate: z.boolean(),
    limit: ZCountSchema,
    offset: ZCountSchema,
    /** The cursor of the page after this one; null on the last page. */
    nextCursor: ZCursorSchema.nullable(),
    /** The cursor of the page before this one; null on the first page. */
    prevCursor: ZCursorSchema.nullable(),
  });
}

export type TPage<T> = {
  items: T[];
  total: number;
  totalIsEstimate: boolean;
  limit: number;
  offset: number;
  nextCursor: string | null;
  prevCursor: string | null;
};

/** The Idempotency-Key header: 1–200 printable ASCII characters without spaces. */
export const ZIdempotencyKeySchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, "Idempotency-Key must be printable ASCII without spaces");
