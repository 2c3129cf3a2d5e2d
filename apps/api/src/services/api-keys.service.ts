// API keys: made, listed and revoked by administrators; checked at every call that sends one.
import type { TApiKey, TApiKeyScope, TCreatedApiKey } from "@shop/contracts";
import { apiKeyHash, createApiKey as newKey } from "../auth/api-keys.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { apiKeysRepository } from "../repositories/api-keys.repository.ts";
import type { AuthUser } from "../repositories/users.repository.ts";
import type { Audited } from "./audit.service.ts";

/** The key a call was made with. */
export interface ApiKeyCaller {
  id: string;
  name: string;
  scopes: TApiKeyScope[];
}

type Admin = Pick<Deps, "db"> & { audited: Audited; user: AuthUser };

/** A new key: shown this once in the answer; its creation is audited in the same statement. */
export async function createApiKey(
  { db, audited, user }: Admin,
  input: { name: string; scopes: TApiKeyScope[] },
): Promise<TCreatedApiKey> {
  const { key, hash, prefix } = newKey();
  // Stored in a fixed order, so lists read alike whatever order the client sent.
  const scopes = (["read", "write", "money"] as const).filter((s) => input.scopes.includes(s));
  const created = await apiKeysRepository(db).create(audited, {
    name: input.name,
    prefix,
    hash,
    scopes,
    createdBy: user.id,
  });
  return { ...created, key };
}

export function listApiKeys({ db }: Pick<Deps, "db">): Promise<TApiKey[]> {
  return apiKeysRepository(db).list();
}

/** Revokes a key: every process refuses it from the next call on (keys are looked up per call). */
export async function revokeApiKey({ db, audited }: Admin, id: string): Promise<TApiKey> {
  const key = await apiKeysRepository(db).revoke(audited, id);
  if (!key) throw new AppError("API_KEY_NOT_FOUND", "API key not found");
  return key;
}

/**
 * The caller an API key stands for: the key (its scopes) and its creator, as the database has them now.
 * A key works while it is not revoked and its creator is an active administrator: a key never outlives
 * the authority of the person who made it (disabling them, or taking their admin role, stops it).
 */
export async function callerFromApiKey(
  { db }: Pick<Deps, "db">,
  credential: string,
): Promise<{ user: AuthUser; apiKey: ApiKeyCaller }> {
  const hash = apiKeyHash(credential);
  const row = hash ? await apiKeysRepository(db).byHash(hash) : null;
  if (!row) throw new AppError("TOKEN_INVALID", "Invalid API key");
  if (row.revoked) throw new AppError("TOKEN_REVOKED", "This API key was revoked");
  if (!row.user_is_active || !row.user_is_admin) {
    throw new AppError("TOKEN_REVOKED", "This API key's creator is no longer an active administrator");
  }
  return {
    user: {
      id: row.user_id,
      numericId: Number(row.user_numeric_id),
      login: row.user_login,
      isAdmin: true,
      isActive: true,
      tokenVersion: row.user_token_version,
    },
    apiKey: { id: row.id, name: row.name, scopes: row.scopes },
  };
}
