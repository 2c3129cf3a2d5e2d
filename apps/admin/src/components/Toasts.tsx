// Toasts for the outcome of an action. Announced by screen readers (a polite live region; failures
// as alerts), dismissed after a few seconds or with their close button.
import { createContext, type ReactNode, use, useCallback, useMemo, useRef, useState } from "react";

type Tone = "success" | "error";

interface Toast {
  id: number;
  tone: Tone;
  message: string;
}

interface Toaster {
  success(message: string): void;
  error(message: string): void;
}

const ToastContext = createContext<Toaster | null>(null);

const DURATION: Record<Tone, number> = { success: 4000, error: 8000 };

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);

  const show = useCallback(
    (tone: Tone, message: string) => {
      const id = nextId.current++;
      // At most four at once: the oldest goes first.
      setToasts((all) => [...all.slice(-3), { id, tone, message }]);
      setTimeout(() => dismiss(id), DURATION[tone]);
    },
    [dismiss],
  );

  const toaster = useMemo<Toaster>(
    () => ({ success: (m) => show("success", m), error: (m) => show("error", m) }),
    [show],
  );

  return (
    <ToastContext value={toaster}>
      {children}
      <div className="toasts" aria-live="polite" aria-label="Notifications" role="region">
        {toasts.map((toast) => (
          <div
            key={toast.id}
            className={`toast toast-${toast.tone}`}
            role={toast.tone === "error" ? "alert" : "status"}
          >
            <span className="toast-icon" aria-hidden="true">
              {toast.tone === "success" ? "✓" : "!"}
            </span>
            <p>{toast.message}</p>
            <button
              type="button"
              className="toast-close"
              aria-label="Dismiss notification"
              onClick={() => dismiss(toast.id)}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext>
  );
}

export function useToast(): Toaster {
  const toaster = use(ToastContext);
  if (!toaster) throw new Error("useToast must be used inside <ToastProvider>");
  return toaster;
}
