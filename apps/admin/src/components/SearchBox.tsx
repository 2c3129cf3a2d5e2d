// A search field bound to the URL: typing updates the query string after a short pause (replacing the
// history entry, so Back does not replay every keystroke); Enter applies at once.
import { useEffect, useId, useState } from "react";

interface Props {
  label: string;
  value: string;
  placeholder?: string;
  onSearch(value: string): void;
}

export function SearchBox({ label, value, placeholder, onSearch }: Props) {
  const id = useId();
  const [text, setText] = useState(value);
  const [synced, setSynced] = useState(value);

  // The URL changed from outside (Back, a link): show its value.
  if (value !== synced) {
    setSynced(value);
    setText(value);
  }

  useEffect(() => {
    if (text.trim() === value) return;
    const timer = setTimeout(() => onSearch(text.trim()), 350);
    return () => clearTimeout(timer);
  }, [text, value, onSearch]);

  return (
    <form
      className="search"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(text.trim());
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <span className="search-icon" aria-hidden="true">
        ⌕
      </span>
      <input
        id={id}
        type="search"
        value={text}
        placeholder={placeholder}
        onChange={(event) => setText(event.target.value)}
        autoComplete="off"
        maxLength={100}
      />
    </form>
  );
}
