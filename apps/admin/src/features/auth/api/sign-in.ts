// Signing in, for administrators only: auth.login gives a token, auth.session (called with that token)
// tells whether the account is an admin, and a non-admin's token is dropped at once, never stored.
import { useMutation } from "@tanstack/react-query";
import { type AppCode, appCode, errorMessage } from "@/lib/errors.ts";
import { type Session, startSession } from "@/lib/session.ts";
import { queryClient, type RouterInputs, trpcClient } from "@/lib/trpc.ts";

export type SignInInput = RouterInputs["auth"]["login"];

/** The SPA's own refusal: the credentials are right, but the account is not an administrator. */
export class NotAdmin extends Error {
  constructor() {
    super("This account is not an administrator. Only administrators can sign in to the admin panel.");
    this.name = "NotAdmin";
  }
}

export async function signIn(input: SignInInput): Promise<Session> {
  const { accessToken, expiresIn } = await trpcClient.auth.login.mutate(input);
  const me = await trpcClient.auth.session.query(undefined, { context: { token: accessToken } });
  if (!me.isAdmin) throw new NotAdmin();
  const session: Session = {
    token: accessToken,
    expiresAt: Date.now() + expiresIn * 1000,
    userId: me.id,
    login: me.login,
  };
  // Nothing cached for a previous session may show in this one.
  queryClient.clear();
  startSession(session);
  return session;
}

export function useSignIn() {
  return useMutation({ mutationFn: signIn });
}

/** What the sign-in page says for a refusal; any other answer shows the API's own message. */
const REFUSALS: Partial<Record<AppCode, string>> = {
  INVALID_CREDENTIALS: "Wrong login or password.",
  RATE_LIMITED: "Too many attempts. Wait a moment and try again.",
};

export function signInRefusal(error: unknown): string {
  if (error instanceof NotAdmin) return error.message;
  const code = appCode(error);
  return (code && REFUSALS[code]) ?? errorMessage(error);
}
