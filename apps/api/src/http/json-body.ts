// JSON request bodies. REST bodies are parsed losslessly: a number that is not a safe integer
// (50.5, 100.0, 100.50, 1e3, 2^60) reaches the schemas as its exact source text, never as a float.
// That keeps money exact, refuses ids that would round, and lets the webhook check its signature
// over the amount exactly as the provider wrote it. tRPC bodies go to tRPC's own parser untouched.
import express, { type NextFunction, type Request, type Response } from "express";
import { parse } from "lossless-json";
import { HttpError } from "./errors.ts";

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

export function jsonBody(options: { limit: string }) {
  const raw = express.raw({ type: ["application/json", "application/*+json"], limit: options.limit });
  return [
    raw,
    (req: Request, _res: Response, next: NextFunction) => {
      if (!Buffer.isBuffer(req.body)) return next();
      // A leading byte order mark is allowed by RFC 8259 (and dropped by express.json): drop it too.
      const text = req.body.toString("utf8").replace(/^\uFEFF/, "");
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
        next(new HttpError(400, "PARSE_ERROR", `Malformed JSON body: ${(error as Error).message}`));
      }
    },
  ];
}
