// A list's search and filters, described as data (a list of fields). A search box, a choice or a
// checkbox applies at once; typed values (ids, numbers, days) are a draft applied by "Apply filters",
// after checking each with its schema: a bad value says what is wrong next to its field and changes
// nothing. The draft restarts from the URL whenever the URL's filters change (a link, Back, Clear).
import { type FormEvent, useId, useState } from "react";
import type { z } from "zod";
import { SearchBox } from "@/components/SearchBox.tsx";
import type { List, ListSearch } from "@/lib/list.ts";

export type FilterField =
  | { type: "search"; label: string; placeholder: string }
  | {
      type: "select";
      name: string;
      label: string;
      /** The first option, for no filter ("All kinds"). */
      any: string;
      options: readonly { value: string; label: string }[];
    }
  | { type: "checkbox"; name: string; label: string }
  | { type: "text"; name: string; label: string; schema: z.ZodType; size?: number; numeric?: boolean }
  | { type: "date"; name: string; label: string; schema: z.ZodType };

type Named = Exclude<FilterField, { type: "search" }>;
const named = (fields: readonly FilterField[]) => fields.filter((f): f is Named => f.type !== "search");
const drafted = (field: Named) => field.type === "text" || field.type === "date";

/** The URL's value of a filter, as text ("" when absent). */
function valueOf(search: ListSearch, name: string): string {
  const value = (search as Record<string, unknown>)[name];
  return value === undefined || value === null ? "" : String(value);
}

/** Changes that remove every filter of `fields` (and the search). */
export function clearedFilters(fields: readonly FilterField[]): Record<string, undefined> {
  return Object.fromEntries([["q", undefined], ...named(fields).map((f) => [f.name, undefined])]);
}

export function FilterBar<T extends ListSearch, S extends string>({
  list,
  fields,
}: {
  list: List<T, S>;
  fields: readonly FilterField[];
}) {
  const values = Object.fromEntries(named(fields).map((f) => [f.name, valueOf(list.search, f.name)]));
  return <FilterForm key={JSON.stringify(values)} list={list} fields={fields} values={values} />;
}

function FilterForm<T extends ListSearch, S extends string>({
  list,
  fields,
  values,
}: {
  list: List<T, S>;
  fields: readonly FilterField[];
  values: Record<string, string>;
}) {
  const id = useId();
  const [draft, setDraft] = useState(values);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (changes: Record<string, unknown>) => list.set(changes as Partial<T>);
  const search = fields.find((f) => f.type === "search");
  const others = named(fields);
  const hasDraft = others.some(drafted);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const changes: Record<string, unknown> = {};
    for (const field of others.filter(drafted)) {
      const text = (draft[field.name] ?? "").trim();
      if (text === "" || !("schema" in field)) {
        changes[field.name] = undefined;
        continue;
      }
      const parsed = field.schema.safeParse(text);
      if (parsed.success) changes[field.name] = text;
      else found[field.name] = `${field.label} ${parsed.error.issues[0]?.message ?? "is not valid"}`;
    }
    setErrors(found);
    if (Object.keys(found).length > 0) {
      document.getElementById(`${id}-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    set(changes);
  };

  return (
    <div className="toolbar">
      {search ? (
        <SearchBox
          label={search.label}
          placeholder={search.placeholder}
          value={list.q}
          onSearch={(q) => list.setSearch(q)}
        />
      ) : null}
      {others.length > 0 ? (
        <form
          className={hasDraft ? "toolbar-options filters" : "toolbar-options"}
          onSubmit={apply}
          aria-label="Filters"
          noValidate
        >
          {others.map((field) => {
            const inputId = `${id}-${field.name}`;
            const error = errors[field.name];
            const a11y = {
              id: inputId,
              // Named by the label alone (a wrapping label would add a select's chosen option to its name).
              "aria-label": field.label,
              "aria-invalid": error ? true : undefined,
              "aria-describedby": error ? `${inputId}-error` : undefined,
            };
            if (field.type === "checkbox") {
              return (
                <label key={field.name} className="checkbox">
                  <input
                    type="checkbox"
                    checked={values[field.name] !== ""}
                    onChange={(e) => set({ [field.name]: e.target.checked ? "1" : undefined })}
                  />
                  {field.label}
                </label>
              );
            }
            return (
              <span key={field.name} className="filter-field">
                <label className="inline-select" htmlFor={inputId}>
                  <span>{field.label}</span>
                  {field.type === "select" ? (
                    <select
                      {...a11y}
                      value={values[field.name]}
                      onChange={(e) => set({ [field.name]: e.target.value || undefined })}
                    >
                      <option value="">{field.any}</option>
                      {field.options.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input
                      {...a11y}
                      type={field.type === "date" ? "date" : "text"}
                      value={draft[field.name] ?? ""}
                      onChange={(e) => setDraft((d) => ({ ...d, [field.name]: e.target.value }))}
                      {...(field.type === "text"
                        ? {
                            inputMode: field.numeric ? "numeric" : undefined,
                            placeholder: "any",
                            spellCheck: false,
                            size: field.size ?? 14,
                          }
                        : {})}
                    />
                  )}
                </label>
                {error ? (
                  <span id={`${inputId}-error`} className="field-error" role="alert">
                    {error}
                  </span>
                ) : null}
              </span>
            );
          })}
          {hasDraft ? (
            <button type="submit" className="button button-small button-primary">
              Apply filters
            </button>
          ) : null}
          {hasDraft && others.some((f) => values[f.name] !== "") ? (
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => set(clearedFilters(fields))}
            >
              Clear filters
            </button>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
