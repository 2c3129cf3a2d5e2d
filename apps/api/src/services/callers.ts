// Who a call is made by, from its Authorization header: a person's access token (JWT) or an API key
// (`shop_sk_…`), told apart by the key's prefix. Used by the procedures (trpc.ts) and the plain Express
// routes that answer CSV.
import type { TApiKeyScope } from "@shop/contracts";
import { isApiKey } from "../auth/api-keys.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import type { AuthUser } from "../repositories/users.repository.ts";
import { type ApiKeyCaller, callerFromApiKey } from "./api-keys.service.ts";
import { userFromBearer } from "./auth.service.ts";

export interface Caller {
  /** The person: the token's user, or the key's creator (an active administrator). */
  user: AuthUser;
  /** The API key the call was made with, or null for an access token. */
  apiKey: ApiKeyCaller | null;
}

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * The caller, checked against the database (a revoked key or token is refused at once). `scope` is
 * what an API key needs for this operation; undefined: keys may not call it at all (403
 * INSUFFICIENT_SCOPE), e.g. a user's own wallet or key management.
 */
export async function callerFromBearer(
  deps: Pick<Deps, "db" | "config">,
  header: string | undefined,
  scope: TApiKeyScope | undefined,
): Promise<Caller> {
  const credential = header ? BEARER.exec(header.trim())?.[1] : undefined;
  if (credential === undefined || !isApiKey(credential)) {
    return { user: await userFromBearer(deps, header), apiKey: null };
  }
  const { user, apiKey } = await callerFromApiKey(deps, credential);
  if (scope === undefined) {
    throw new AppError("INSUFFICIENT_SCOPE", "API keys cannot call this operation: it is for people signed in");
  }
  if (!apiKey.scopes.includes(scope)) {
    throw new AppError("INSUFFICIENT_SCOPE", `This API key lacks the '${scope}' scope this operation needs`);
  }
  return { user, apiKey };
}
