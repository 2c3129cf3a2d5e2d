// Sign-in for administrators. Validation uses the API's own schema (ZAuthInputSchema); a non-admin
// account is refused with a clear message; an ended session explains itself.
import { ZAuthInputSchema } from "@shop/contracts";
import { type FormEvent, useEffect, useRef } from "react";
import { Field } from "@/components/Field.tsx";
import { useAuth } from "@/lib/auth.tsx";
import { useZodForm } from "@/lib/form.ts";
import { signInRefusal, useSignIn } from "@/features/auth/api/sign-in.ts";

export function SignInPage() {
  const { notice, clearNotice } = useAuth();
  const mutation = useSignIn();
  const form = useZodForm(ZAuthInputSchema, {
    defaultValues: { login: "", password: "" },
    labels: { login: "Login", password: "Password" },
  });
  const alertRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (mutation.isError) alertRef.current?.focus();
  }, [mutation.isError]);

  const submit = (event: FormEvent) => {
    // Every attempt starts afresh: no old notice or refusal stays on screen.
    clearNotice();
    mutation.reset();
    void form.handleSubmit((input) => mutation.mutate(input))(event);
  };

  return (
    <main className="signin" id="main">
      <div className="signin-card">
        <div className="signin-brand">
          <span className="brand-mark" aria-hidden="true">
            S
          </span>
          <span>Shop admin</span>
        </div>
        <h1>Sign in</h1>
        <p className="muted">For administrators of the shop and wallet.</p>

        {notice && !mutation.isError ? (
          <div className="notice notice-warning" role="status">
            {notice}
          </div>
        ) : null}
        {mutation.isError ? (
          <div className="notice notice-error" role="alert" tabIndex={-1} ref={alertRef}>
            {signInRefusal(mutation.error)}
          </div>
        ) : null}

        <form onSubmit={submit} noValidate className="form">
          <Field label="Login" error={form.fieldError("login")} required>
            {(a11y) => (
              <input
                {...a11y}
                {...form.register("login")}
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                autoFocus
              />
            )}
          </Field>
          <Field label="Password" error={form.fieldError("password")} required>
            {(a11y) => (
              <input {...a11y} {...form.register("password")} type="password" autoComplete="current-password" />
            )}
          </Field>
          <button type="submit" className="button button-primary button-block" disabled={mutation.isPending}>
            {mutation.isPending ? "Signing in…" : "Sign in"}
          </button>
        </form>
      </div>
    </main>
  );
}
