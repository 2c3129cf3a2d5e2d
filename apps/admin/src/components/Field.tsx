// A labelled form field with its hint and its inline error, wired for assistive technology.
import { type ReactNode, useId } from "react";

interface Props {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  required?: boolean;
  children(props: { id: string; "aria-invalid": boolean; "aria-describedby": string | undefined }): ReactNode;
}

export function Field({ label, error, hint, required, children }: Props) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  // The error takes the hint's place (it says what is wrong with the same rule), so the form does
  // not grow under the pointer when an error appears.
  const showHint = hint && !error;
  const describedBy = showHint ? hintId : error ? errorId : undefined;
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={id}>
        {label}
        {required ? (
          <span className="required" aria-hidden="true">
            {" "}
            *
          </span>
        ) : null}
      </label>
      {children({ id, "aria-invalid": Boolean(error), "aria-describedby": describedBy })}
      {showHint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
