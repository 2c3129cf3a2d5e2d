// The assertions the API's tests share: a REST error body, a refused tRPC call, a refused service call,
// and no secret in an answer.
import { TRPCError } from "@trpc/server";
import { expect } from "vitest";
import { AppError, type AppErrorCode } from "../../src/errors.ts";

/** The parts of a supertest answer the assertions read (`type`: the media type, without parameters). */
interface Answer {
  status: number;
  type: string;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer
  body: any;
}

/**
 * A REST error: the status, a JSON `{message, code, appCode}` body (the HTTP word `code`, the domain
 * `appCode` when given), and no stack or source path leaked.
 */
export function expectError(res: Answer, status: number, code?: string, appCode?: AppErrorCode) {
  expect(res.status, `${res.status} ${res.text.slice(0, 300)}`).toBe(status);
  expect(res.type).toBe("application/json");
  expect(typeof res.body.message, res.text.slice(0, 300)).toBe("string");
  expect(typeof res.body.code, res.text.slice(0, 300)).toBe("string");
  if (code) expect(res.body.code).toBe(code);
  if (appCode) expect(res.body.appCode, res.text.slice(0, 300)).toBe(appCode);
  expect(res.body).not.toHaveProperty("stack");
  expect(res.text).not.toMatch(/"stack"/);
  expect(res.text).not.toMatch(/node_modules|\.ts:\d+:\d+|\bat .*\.ts:\d+/);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

/** A tRPC call refused with `code` (and a message matching `message`); returns the error. */
export async function rejectsWith(
  promise: Promise<unknown>,
  code: TRPCError["code"],
  message?: RegExp,
): Promise<TRPCError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  if (message) expect((error as TRPCError).message).toMatch(message);
  return error as TRPCError;
}

/** A service call refused with the domain code `appCode` (and a message matching `message`). */
export async function rejectsWithAppError(
  promise: Promise<unknown>,
  appCode: AppErrorCode,
  message?: RegExp,
): Promise<AppError> {
  const error = await rejection(promise);
  expect(error, String(error)).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(appCode);
  if (message) expect((error as AppError).message).toMatch(message);
  return error as AppError;
}

/** Nothing secret in an answer: no password hash, token version or activation hash, none of `passwords`. */
export function expectNoSecrets(res: { text: string }, ...passwords: string[]) {
  expect(res.text).not.toMatch(/passwordHash|password_hash|tokenVersion|token_version|activationTokenHash/);
  expect(res.text).not.toMatch(/\$2[aby]\$\d\d\$/);
  for (const password of passwords) expect(res.text).not.toContain(password);
}
