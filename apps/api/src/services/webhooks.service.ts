// The webhook inbox: what every call of POST /payment/webhook led to. A credit is recorded by its own
// statement (payments.service → accounts.repository); every other outcome is recorded here, after the
// answer is decided, best-effort: a failure to record is logged and never changes the answer.
import type { TWebhookOutcome } from "@shop/contracts";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { type Deps, reader } from "../deps.ts";
import { AppError, type AppErrorCode } from "../errors.ts";
import { storedBody, webhookDeliveriesRepository } from "../repositories/webhook-deliveries.repository.ts";

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

/** Records a call that credited nothing. Never throws: the inbox must not change the provider's answer. */
export async function recordRefusedWebhook(
  { db, log }: Pick<Deps, "db" | "log">,
  call: { sourceIp: string; rawBody: string | undefined; parsed: unknown; error: unknown },
): Promise<void> {
  const fields = (call.parsed && typeof call.parsed === "object" ? call.parsed : {}) as Record<string, unknown>;
  try {
    await webhookDeliveriesRepository(db).record({
      sourceIp: call.sourceIp,
      ...outcomeOf(call.error),
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
