// Who is signed in. Sign-in is for administrators only: after auth.login, auth.session tells whether the
// account is an admin, and a non-admin's token is dropped at once. The token lives in localStorage
// (session.ts), so a reload keeps the session; it ends on sign-out, on expiry (timer below) or when
// the API refuses it (trpc.ts).
import { createContext, type ReactNode, use, useEffect, useSyncExternalStore } from "react";
import { clearNotice, endSession, EXPIRED_NOTICE, getState, type Session, startSession, subscribe } from "./session.ts";
import { navigate } from "./router.tsx";
import { queryClient, trpcClient } from "./trpc.ts";

export class SignInRefused extends Error {}

export const NOT_ADMIN_MESSAGE =
  "This account is not an administrator. Only administrators can sign in to the admin panel.";

interface Auth {
  session: Session | null;
  notice: string | null;
  signIn(input: { login: string; password: string }): Promise<Session>;
  signOut(): void;
  clearNotice(): void;
}

const AuthContext = createContext<Auth | null>(null);

async function signIn(input: { login: string; password: string }): Promise<Session> {
  const { accessToken, expiresIn } = await trpcClient.auth.login.mutate(input);
  const me = await trpcClient.auth.session.query(undefined, { context: { token: accessToken } });
  if (!me.isAdmin) throw new SignInRefused(NOT_ADMIN_MESSAGE);
  const session: Session = {
    token: accessToken,
    expiresAt: Date.now() + expiresIn * 1000,
    userId: me.id,
    login: me.login,
  };
  queryClient.clear();
  startSession(session);
  return session;
}

/** Signing out on purpose: to the sign-in page, without a page to come back to. */
function signOut() {
  navigate("/sign-in");
  endSession(null);
  queryClient.clear();
}

// setTimeout takes at most a signed 32-bit delay.
const MAX_DELAY = 2 ** 31 - 1;

export function AuthProvider({ children }: { children: ReactNode }) {
  const { session, notice } = useSyncExternalStore(subscribe, getState);

  // End the session when the token expires, even if no request notices it.
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(
      () => {
        endSession(EXPIRED_NOTICE);
        queryClient.clear();
      },
      Math.min(Math.max(session.expiresAt - Date.now(), 0), MAX_DELAY),
    );
    return () => clearTimeout(timer);
  }, [session]);

  return <AuthContext value={{ session, notice, signIn, signOut, clearNotice }}>{children}</AuthContext>;
}

export function useAuth(): Auth {
  const auth = use(AuthContext);
  if (!auth) throw new Error("useAuth must be used inside <AuthProvider>");
  return auth;
}
