// The webhook inbox: what every call of POST /payment/webhook led to. A credit is recorded by its own
// statement (payments.service → accounts.repository); every other outcome is recorded here, after the
// answer is decided, best-effort: a failure to record is logged and never changes the answer.
//
// The inbox keeps its evidence under a flood, by two quotas:
// - per address, before recording: calls refused for their body (before any signature could be
//   checked) are counted per client address (WEBHOOK_INVALID_BODY_LIMIT_PER_ADDRESS, as forged
//   signatures are by WEBHOOK_BAD_SIGNATURE_LIMIT_PER_ADDRESS); past the budget they answer 429 and are
//   not recorded, except the first 429 of the window (one `rate_limited` record per address per
//   window). Each call of a tRPC batch is counted, as each runs this code.
// - per outcome class, in the table: each class has its own ring (webhook-deliveries.repository RINGS),
//   so even a flood from many addresses replaces only records of its own class.
import type { TWebhookOutcome } from "@shop/contracts";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { type Deps, reader } from "../deps.ts";
import { AppError, type AppErrorCode } from "../errors.ts";
import { type Ring, storedBody, webhookDeliveriesRepository } from "../repositories/webhook-deliveries.repository.ts";
import { RateLimitedError } from "./login-limiter.ts";

/** The appCode of a refused call → its outcome. */
const OUTCOME_OF: Partial<Record<AppErrorCode, Exclude<TWebhookOutcome, "credited">>> = {
  INVALID_SIGNATURE: "invalid_signature",
  INVALID_AMOUNT: "invalid_body",
  INVALID_INPUT: "invalid_body",
  MALFORMED_JSON: "invalid_body",
  UNSUPPORTED_MEDIA_TYPE: "invalid_body",
  PAYLOAD_TOO_LARGE: "invalid_body",
  UNKNOWN_USER: "unknown_user",
  BILL_OWNED_BY_OTHER_USER: "bill_of_other_user",
  TRANSACTION_ID_REUSED: "transaction_conflict",
  RATE_LIMITED: "rate_limited",
};

/** A provider id from a body as sent: a positive safe integer (number or digits), else null. */
function providerNumber(value: unknown): number | null {
  const n =
    typeof value === "number" ? value : typeof value === "string" && /^[0-9]{1,16}$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** What a call that credited nothing led to: `error` is what it was refused with (undefined = a replay, 200). */
export function outcomeOf(error: unknown): { outcome: Exclude<TWebhookOutcome, "credited">; httpStatus: number } {
  if (error === undefined) return { outcome: "already_processed", httpStatus: 200 };
  const app =
    error instanceof AppError
      ? error
      : error instanceof TRPCError && error.cause instanceof AppError
        ? error.cause
        : undefined;
  if (app) return { outcome: OUTCOME_OF[app.code] ?? "server_error", httpStatus: app.status };
  if (error instanceof TRPCError) {
    const httpStatus = getHTTPStatusCodeFromError(error);
    return {
      outcome: error.code === "BAD_REQUEST" || error.code === "PARSE_ERROR" ? "invalid_body" : "server_error",
      httpStatus,
    };
  }
  return { outcome: "server_error", httpStatus: 500 };
}

/** The AppError behind a refusal, if any. */
function appErrorOf(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  return error instanceof TRPCError && error.cause instanceof AppError ? error.cause : undefined;
}

/**
 * The ring a refusal is kept in: a body refused before its signature could be checked, a forged
 * signature, a 429, or a correctly signed call (an amount refused after the signature passed is the
 * provider's own call).
 */
function ringOf(outcome: Exclude<TWebhookOutcome, "credited">, error: unknown): Ring {
  if (outcome === "invalid_body") return appErrorOf(error)?.code === "INVALID_AMOUNT" ? "signed" : "invalidBody";
  if (outcome === "invalid_signature") return "invalidSignature";
  if (outcome === "rate_limited") return "rateLimited";
  return "signed";
}

interface RefusedCall {
  sourceIp: string;
  rawBody: string | undefined;
  parsed: unknown;
  /** What the call was refused with (undefined: a replay answered 200). */
  error: unknown;
}

/**
 * A call that credited nothing, limited per address before it is recorded (see the top of this file):
 * returns the error to answer with: the refusal itself, or RATE_LIMITED when the address is over its
 * budget of invalid bodies. Never throws for the inbox's sake.
 */
export async function refuseWebhook(
  deps: Pick<Deps, "db" | "log" | "loginLimiter">,
  call: RefusedCall,
): Promise<unknown> {
  let answer = call.error;
  const { outcome } = outcomeOf(call.error);
  if (ringOf(outcome, call.error) === "invalidBody") {
    try {
      await deps.loginLimiter.invalidWebhookBody(call.sourceIp);
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      answer = error;
    }
  }
  if (outcomeOf(answer).outcome === "rate_limited" && !(await deps.loginLimiter.rateLimitedRecord(call.sourceIp))) {
    return answer;
  }
  await recordRefusedWebhook(deps, { ...call, error: answer });
  return answer;
}

/** Records a call that credited nothing. Never throws: the inbox must not change the provider's answer. */
export async function recordRefusedWebhook({ db, log }: Pick<Deps, "db" | "log">, call: RefusedCall): Promise<void> {
  const fields = (call.parsed && typeof call.parsed === "object" ? call.parsed : {}) as Record<string, unknown>;
  const { outcome, httpStatus } = outcomeOf(call.error);
  try {
    await webhookDeliveriesRepository(db).record({
      ring: ringOf(outcome, call.error),
      sourceIp: call.sourceIp,
      outcome,
      httpStatus,
      transactionId: providerNumber(fields.transaction_id),
      userId: providerNumber(fields.user_id),
      billId: providerNumber(fields.bill_id),
      ...storedBody(call.rawBody),
    });
  } catch (error) {
    log.warn({ err: error }, "webhook call not recorded in the inbox");
  }
}

export function listWebhooks(
  deps: Deps,
  input: Parameters<ReturnType<typeof webhookDeliveriesRepository>["list"]>[0] & {
    limit: number;
    offset: number;
    cursor?: string | undefined;
  },
) {
  return webhookDeliveriesRepository(reader(deps)).list(input, input);
}

export async function getWebhook({ db }: Deps, id: string) {
  const found = await webhookDeliveriesRepository(db).byId(id);
  if (!found) throw new AppError("WEBHOOK_NOT_FOUND", "Webhook call not found");
  return found;
}
