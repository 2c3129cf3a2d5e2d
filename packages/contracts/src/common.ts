import { z } from "zod";

export const ZUuidSchema = z.uuid({ message: "must be a UUID" });

/**
 * Text a client may send: any string without U+0000 (PostgreSQL text cannot hold it, and both doors,
 * REST and tRPC, parse through these schemas). The rule is a pattern, so the document carries it too.
 */
export function textInput() {
  // eslint-disable-next-line no-control-regex -- the control character is what the rule refuses
  return z.string().regex(/^[^\u0000]*$/, "may not contain the NUL character (U+0000)");
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
export function intParam(options: { min: number; max: number; default?: number }) {
  const schema = z
    .union([
      z.number(),
      z
        .string()
        .regex(/^-?[0-9]+$/, "must be a whole number")
        .transform(Number),
    ])
    .pipe(z.number().int("must be a whole number").min(options.min).max(options.max))
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

export const ZPageInputSchema = z.object({
  limit: intParam({ min: 1, max: 100 }).default(20),
  /** Kept for clients that page by position; bounded. A cursor is the way to page far. */
  offset: intParam({ min: 0, max: 1_000_000 }).default(0),
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
