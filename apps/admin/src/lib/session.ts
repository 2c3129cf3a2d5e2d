// The signed-in session, kept in localStorage so that a reload keeps it. A tiny store: read it with
// getSession(), change it with startSession()/endSession(), and React subscribes through auth.tsx.

export interface Session {
  token: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
  userId: string;
  login: string;
}

export const EXPIRED_NOTICE = "Your session has expired. Please sign in again.";

const KEY = "shop-admin.session";

function isSession(value: unknown): value is Session {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.token === "string" &&
    typeof v.expiresAt === "number" &&
    typeof v.userId === "string" &&
    typeof v.login === "string"
  );
}

function load(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const parsed: unknown = JSON.parse(raw);
    return isSession(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

interface State {
  session: Session | null;
  /** Why the last session ended (shown on the sign-in page), if not by signing out. */
  notice: string | null;
}

let state: State = initialState();
const listeners = new Set<() => void>();

function initialState(): State {
  const stored = load();
  if (stored && stored.expiresAt <= Date.now()) {
    localStorage.removeItem(KEY);
    return { session: null, notice: EXPIRED_NOTICE };
  }
  return { session: stored, notice: null };
}

function set(next: State) {
  state = next;
  for (const listener of listeners) listener();
}

export function getState(): State {
  return state;
}

export function getSession(): Session | null {
  return state.session;
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function startSession(session: Session) {
  localStorage.setItem(KEY, JSON.stringify(session));
  set({ session, notice: null });
}

/** Ends the session; `notice` explains why on the sign-in page (none when the user signed out). */
export function endSession(notice: string | null = null) {
  if (!state.session && state.notice === notice) return;
  localStorage.removeItem(KEY);
  set({ session: null, notice });
}

export function clearNotice() {
  if (state.notice !== null) set({ ...state, notice: null });
}

// Another tab signed in or out: follow it.
window.addEventListener("storage", (event) => {
  if (event.key !== KEY) return;
  const session = load();
  set({ session, notice: null });
});
