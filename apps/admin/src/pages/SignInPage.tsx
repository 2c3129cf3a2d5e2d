// Sign-in for administrators. Validation uses the API's own schema (ZAuthInputSchema); a non-admin
// account is refused here with a clear message; an ended session explains itself.
import { ZAuthInputSchema } from "@shop/contracts";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { SignInRefused, useAuth } from "../auth.tsx";
import { Field } from "../components/Field.tsx";
import { errorCode, errorMessage } from "../trpc.ts";
import { type FieldErrors, fieldErrors } from "../forms.ts";

type Values = { login: string; password: string };

function refusal(error: unknown): string {
  if (error instanceof SignInRefused) return error.message;
  if (errorCode(error) === "UNAUTHORIZED") return "Wrong login or password.";
  if (errorCode(error) === "TOO_MANY_REQUESTS") return "Too many attempts. Wait a moment and try again.";
  return errorMessage(error);
}

export function SignInPage() {
  const { signIn, notice, clearNotice } = useAuth();
  const [values, setValues] = useState<Values>({ login: "", password: "" });
  const [errors, setErrors] = useState<FieldErrors<Values>>({});
  const [submitted, setSubmitted] = useState(false);
  const alertRef = useRef<HTMLDivElement>(null);
  const loginRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const mutation = useMutation({ mutationFn: signIn });

  useEffect(() => {
    if (mutation.isError) alertRef.current?.focus();
  }, [mutation.isError]);

  const validate = (next: Values) => {
    const parsed = ZAuthInputSchema.safeParse(next);
    const found = parsed.success
      ? {}
      : fieldErrors<Values>(parsed.error.issues, { login: "Login", password: "Password" });
    setErrors(found);
    return parsed.success ? parsed.data : null;
  };

  const change = (key: keyof Values, value: string) => {
    const next = { ...values, [key]: value };
    setValues(next);
    if (submitted) validate(next);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    clearNotice();
    mutation.reset();
    const input = validate(values);
    if (!input) {
      const parsed = ZAuthInputSchema.safeParse(values);
      const first = parsed.success ? undefined : parsed.error.issues[0]?.path[0];
      (first === "password" ? passwordRef : loginRef).current?.focus();
      return;
    }
    mutation.mutate(input);
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
            {refusal(mutation.error)}
          </div>
        ) : null}

        <form onSubmit={submit} noValidate className="form">
          <Field label="Login" error={errors.login} required>
            {(a11y) => (
              <input
                {...a11y}
                ref={loginRef}
                name="login"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                value={values.login}
                onChange={(e) => change("login", e.target.value)}
                autoFocus
              />
            )}
          </Field>
          <Field label="Password" error={errors.password} required>
            {(a11y) => (
              <input
                {...a11y}
                ref={passwordRef}
                name="password"
                type="password"
                autoComplete="current-password"
                value={values.password}
                onChange={(e) => change("password", e.target.value)}
              />
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
