// The text rule (packages/contracts textInput) holds for every input of every procedure: the test walks
// the zod input schemas of appRouter down to each field and sends it text with a control character or
// a lone surrogate. No field may accept it, whatever it is (free text, a UUID, an enum, an amount):
// a procedure added later without the rule fails here. The HTTP side (REST bodies and queries, tRPC
// bodies and query input, nothing written) is test/text-rule.int.test.ts.
import { textInput, ZTransactionFilterSchema } from "@shop/contracts";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { appRouter } from "../src/routers/_app.ts";

type Schema = z.ZodType & { _zod: { def: Record<string, unknown> & { type: string } } };

/** Broken text: each is refused by every field. */
const BROKEN = [
  "\u0000",
  "\u0001",
  "\u0007",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u009f",
  "\ud800",
  "\udfff",
  "\udc00\ud800", // a pair in the wrong order
];
/** Allowed by multiline fields only. */
const LINE_BREAKS = ["\t", "\n", "\r\n"];

/** The object schema a field wraps, if any (optional, nullable, default, pipe input). */
function objectOf(schema: Schema): Schema | undefined {
  const def = schema._zod.def;
  if (def.type === "object") return schema;
  const inner = (def.innerType ?? def.in) as Schema | undefined;
  return inner ? objectOf(inner) : undefined;
}

/** Every field of every procedure input: `procedure.path.to.field` → its schema. */
function inputFields(): Map<string, Schema> {
  const fields = new Map<string, Schema>();
  const walk = (path: string, schema: Schema) => {
    const object = objectOf(schema);
    if (!object) {
      fields.set(path, schema);
      return;
    }
    for (const [key, field] of Object.entries(object._zod.def.shape as Record<string, Schema>)) {
      walk(`${path}.${key}`, field);
      const def = field._zod.def;
      if (def.type === "array") walk(`${path}.${key}[]`, def.element as Schema);
    }
  };
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { inputs: Schema[] } }>;
  for (const [name, procedure] of Object.entries(procedures)) {
    for (const input of procedure._def.inputs) {
      if (input._zod.def.type !== "void") walk(name, input);
    }
  }
  return fields;
}

const accepts = (schema: Schema, value: string) => schema.safeParse(value).success;

describe("the text rule on every procedure input", () => {
  const fields = inputFields();

  it("finds the inputs' fields, free text among them", () => {
    expect(fields.size).toBeGreaterThan(60);
    for (const name of [
      "auth.register.login",
      "auth.register.password",
      "auth.login.login",
      "auth.login.password",
      "products.create.title",
      "products.update.description",
      "products.list.search",
      "adminUsers.list.search",
      "transactions.refund.reason",
      "accounts.adjust.reason",
      "audit.list.targetId",
      "payments.webhook.amount",
    ]) {
      expect(fields.has(name), name).toBe(true);
    }
  });

  it("no field takes a control character or a lone surrogate, wherever it sits in the text", () => {
    const escaped: string[] = [];
    for (const [name, schema] of fields) {
      for (const bad of BROKEN) {
        for (const text of [`abcd${bad}efgh`, `${bad}abcdefgh`, `abcdefgh${bad}`, `1${bad}`]) {
          if (accepts(schema, text)) escaped.push(`${name} takes ${JSON.stringify(text)}`);
        }
      }
    }
    expect(escaped).toEqual([]);
  });

  it("free-text fields take any other text: accents, emoji (a surrogate pair), symbols", () => {
    // A registered login is ASCII by its own rule (auth.service says why) and a cursor is base64url; the
    // rest that take letters take any clean text.
    const freeText = [...fields].filter(
      ([name, schema]) => accepts(schema, "abcdefgh") && name !== "auth.register.login" && !name.endsWith(".cursor"),
    );
    expect(freeText.length).toBeGreaterThan(8);
    for (const [name, schema] of freeText) {
      for (const text of ["Größe déjà vu", "lamp 😀 ok", "a\u00a0b – “quoted” €"]) {
        expect(accepts(schema, text), `${name}: ${text}`).toBe(true);
      }
    }
  });

  it("line breaks and tabs: only in descriptions and reasons", () => {
    const multiline = [...fields]
      .filter(([, schema]) => LINE_BREAKS.every((b) => accepts(schema, `abcd${b}efgh`)))
      .map(([name]) => name)
      .sort();
    expect(multiline).toEqual([
      "accounts.adjust.reason",
      "products.create.description",
      "products.update.description",
      "transactions.refund.reason",
    ]);
  });

  it("also holds for GET /transactions.csv's filters (an Express route) and the rule's own helper", () => {
    for (const field of Object.values(ZTransactionFilterSchema.shape)) {
      for (const bad of BROKEN) expect(field.safeParse(`1${bad}`).success).toBe(false);
    }
    expect(textInput().safeParse("x \ud800 y").success).toBe(false);
    expect(textInput().safeParse("x \ud83d\ude00 y").success).toBe(true);
  });
});
