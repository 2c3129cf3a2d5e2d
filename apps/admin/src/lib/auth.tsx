// Who is signed in. The token lives in localStorage (session.ts), so a reload keeps the session; it
// ends on sign-out, on expiry (timer below) or when the API refuses it (trpc.ts). Signing in is the
// auth feature's (features/auth/api/sign-in.ts).
import { createContext, type ReactNode, use, useEffect, useSyncExternalStore } from "react";
import { navigate } from "./router.tsx";
import { clearNotice, endSession, EXPIRED_NOTICE, getSession, getState, type Session, subscribe } from "./session.ts";
import { queryClient, trpcClient } from "./trpc.ts";

interface Auth {
  session: Session | null;
  /** Why the last session ended, shown on the sign-in page. */
  notice: string | null;
  signOut(): void;
  clearNotice(): void;
}

const AuthContext = createContext<Auth | null>(null);

/**
 * Signing out on purpose: to the sign-in page, without a page to come back to. The API is told too
 * (POST /auth/sign-out, with the token as it was), so every token of this user stops working, not
 * only the one this browser forgets. If that call fails, the browser has forgotten the token anyway.
 */
function signOut() {
  const token = getSession()?.token;
  if (token) void trpcClient.auth.signOut.mutate(undefined, { context: { token } }).catch(() => undefined);
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

  return <AuthContext value={{ session, notice, signOut, clearNotice }}>{children}</AuthContext>;
}

export function useAuth(): Auth {
  const auth = use(AuthContext);
  if (!auth) throw new Error("useAuth must be used inside <AuthProvider>");
  return auth;
}
