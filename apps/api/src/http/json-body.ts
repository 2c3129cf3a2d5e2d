// JSON request bodies. REST bodies are parsed losslessly: a number that is not a safe integer
// (50.5, 100.0, 100.50, 1e3, 2^60) reaches the schemas as its exact source text, never as a float.
// That keeps money exact, refuses ids that would round, and lets the webhook check its signature
// over the amount exactly as the provider wrote it. tRPC bodies go to tRPC's own parser untouched.
import express, { type NextFunction, type Request, type Response } from "express";
import { parse } from "lossless-json";
import { AppError } from "../errors.ts";

const SAFE_INTEGER_TEXT = /^-?(0|[1-9][0-9]{0,15})$/;

export function parseNumberLosslessly(text: string): number | string {
  if (SAFE_INTEGER_TEXT.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
  }
  return text;
}

/** Parses JSON text; objects get no prototype tricks (`__proto__` is an ordinary key). */
export function parseJsonLosslessly(text: string): unknown {
  return parse(text, (_key, value) => value, parseNumberLosslessly);
}

/** Deeper JSON than this is refused: no request of this API needs more than a few levels. */
export const MAX_JSON_DEPTH = 32;

/**
 * What every JSON body must satisfy before any parser sees it: nesting at most MAX_JSON_DEPTH
 * levels (deeper bodies overflow the stack of recursive code further on), and no NUL character
 * (PostgreSQL text cannot hold U+0000). One pass over the text, strings skipped.
 */
export function refuseHostileJson(text: string): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \\ */) {
        if (text.startsWith("u0000", i + 1)) return "Strings may not contain the NUL character (\\u0000)";
        i++;
      } else if (c === 0x22 /* " */) inString = false;
      else if (c === 0) return "Strings may not contain the NUL character";
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b /* { [ */) {
      if (++depth > MAX_JSON_DEPTH) return `JSON nested deeper than ${MAX_JSON_DEPTH} levels`;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return undefined;
}

/** Query strings must not carry a NUL character either. */
export function refuseNulInQuery(req: Request, _res: Response, next: NextFunction) {
  const q = req.url.indexOf("?");
  if (q >= 0 && /%00/.test(req.url.slice(q))) {
    return next(new AppError("INVALID_INPUT", "Query parameters may not contain the NUL character"));
  }
  next();
}

export function jsonBody(options: { limit: string }) {
  const raw = express.raw({ type: ["application/json", "application/*+json"], limit: options.limit });
  return [
    refuseNulInQuery,
    raw,
    (req: Request, _res: Response, next: NextFunction) => {
      if (!Buffer.isBuffer(req.body)) return next();
      // A leading byte order mark is allowed by RFC 8259 (and dropped by express.json): drop it too.
      const text = req.body.toString("utf8").replace(/^\uFEFF/, "");
      const refusal = refuseHostileJson(text);
      if (refusal) return next(new AppError("INVALID_INPUT", refusal));
      if (req.path.startsWith("/trpc")) {
        req.body = text === "" ? undefined : text;
        return next();
      }
      if (text.trim() === "") {
        req.body = undefined;
        return next();
      }
      try {
        req.body = parseJsonLosslessly(text);
        next();
      } catch (error) {
        next(new AppError("MALFORMED_JSON", `Malformed JSON body: ${(error as Error).message}`));
      }
    },
  ];
}
