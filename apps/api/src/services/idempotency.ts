// The one rule for writes that an Idempotency-Key makes safe to retry (a purchase, a refund, an
// adjustment): the key is stored on the ledger row under a unique index, so the database decides.
import { isUniqueViolation } from "../errors.ts";

/**
 * Runs `write` (null back = it matched nothing: a refusal) and, when a key is given, looks at what the
 * key already did wherever the write could not tell:
 * - two requests with one key raced past the caller's first look-up: the unique index let one write
 *   through and rolled the other back whole, which then answers with the winner's result;
 * - a write that matched nothing may be a retry that lost that race (the winner used up the balance):
 *   it is the winner's result too, not a refusal.
 * `replay` returns the earlier result (null when the key did nothing yet) and throws
 * IDEMPOTENCY_KEY_REUSED itself when the key was used for another operation.
 */
export async function writeOrReplay<Written, Replay>(
  key: string | undefined,
  write: () => Promise<Written | null>,
  replay: () => Promise<Replay | null>,
): Promise<{ written: Written | null } | { replay: Replay }> {
  let written: Written | null;
  try {
    written = await write();
  } catch (error) {
    if (key !== undefined && isUniqueViolation(error)) {
      const winner = await replay();
      if (winner) return { replay: winner };
    }
    throw error;
  }
  if (written === null && key !== undefined) {
    const winner = await replay();
    if (winner) return { replay: winner };
  }
  return { written };
}
