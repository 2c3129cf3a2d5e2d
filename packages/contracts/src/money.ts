// Money is exact: it travels as text ("150.50") and is computed as integer cents (bigint). No float
// ever holds an amount. Requests may send a JSON number or a string; responses always send a string
// with two decimals.
import { z } from "zod";
import { jsonSchemaOf } from "./common.ts";

/** The largest amount one request may carry: 1,000,000,000.00. */
export const MAX_AMOUNT_CENTS = 100_000_000_000n;
const AMOUNT_TEXT = /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$/;

/** "12.5" → 1250n. Throws on anything but a plain non-negative decimal with at most two places. */
export function moneyToCents(text: string): bigint {
  const match = AMOUNT_TEXT.exec(text);
  if (!match) throw new RangeError(`not an amount: ${text}`);
  const [whole, fraction = ""] = text.split(".");
  return BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, "0"));
}

/** 1250n → "12.50"; -1250n → "-12.50". */
export function centsToMoney(cents: bigint): string {
  const sign = cents < 0n ? "-" : "";
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

/** Normalises a money text from the database ("12.5", "12.50") to two decimals. */
export function formatMoney(text: string): string {
  const negative = text.startsWith("-");
  const cents = moneyToCents(negative ? text.slice(1) : text);
  return centsToMoney(negative ? -cents : cents);
}

/** The text of an amount the API accepts (> 0, ≤ 1000000000.00, at most two decimals), as a pattern. */
export const AMOUNT_PATTERN =
  "^(?:[1-9][0-9]{0,8}(?:\\.[0-9]{1,2})?|0\\.(?:[1-9][0-9]?|0[1-9])|1000000000(?:\\.00?)?)$";

/** What the document shows for an amount in a request. */
export const AMOUNT_JSON_SCHEMA = {
  anyOf: [
    { type: "number", exclusiveMinimum: 0, maximum: 1_000_000_000, multipleOf: 0.01 },
    { type: "string", pattern: AMOUNT_PATTERN },
  ],
};

/**
 * An amount in a request: a positive JSON number or string with at most two decimals, up to
 * 1,000,000,000.00. Parses to its canonical text ("12.50").
 */
export const ZAmountInputSchema = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const text = typeof value === "number" ? String(value) : value.trim();
    // One sentence per way of being wrong, so a form can say what to fix.
    const refuse = (message: string) => {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    };
    if (text === "") return refuse("is required");
    if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(text)) return refuse('must be a number, e.g. 150 or "150.50"');
    if (text.startsWith("-")) return refuse("must be greater than 0");
    if (/\.[0-9]{3,}$/.test(text)) return refuse("must have at most two decimals");
    const [whole = "0"] = text.replace(/^\+/, "").split(".");
    if (whole.replace(/^0+(?=[0-9])/, "").length > 10) return refuse("must be at most 1000000000.00 (one billion)");
    if (!AMOUNT_TEXT.test(text))
      return refuse('must be a positive amount with at most two decimals, e.g. 150 or "150.50"');
    const cents = moneyToCents(text);
    if (cents <= 0n) return refuse("must be greater than 0");
    if (cents > MAX_AMOUNT_CENTS) return refuse("must be at most 1000000000.00 (one billion)");
    return centsToMoney(cents);
  })
  .meta({
    description: "Amount: a number or a string, greater than 0, at most 1000000000.00, at most two decimals",
    example: "150.50",
    override: jsonSchemaOf(AMOUNT_JSON_SCHEMA),
  });

/** An amount in a response: always a string with exactly two decimals. */
export const ZMoneySchema = z
  .string()
  .regex(/^-?[0-9]+\.[0-9]{2}$/)
  .meta({ description: "Exact amount with two decimals", example: "150.50" });
