// The filter bar of the list pages (transactions, webhook inbox, audit log): choices apply at once,
// typed values (ids, days) on "Apply filters", all of them into the URL through useListParams. The
// draft restarts from the URL whenever the URL's filters change (a link, Back, Clear).
import { type FormEvent, useState } from "react";
import type { ListParams } from "@/hooks/use-list-params.ts";

export type FilterField<F extends string> =
  | {
      type: "select";
      name: F;
      label: string;
      /** The first option, for no filter ("All kinds"). */
      any: string;
      options: readonly { value: string; label: string }[];
    }
  | { type: "text"; name: F; label: string; size?: number; numeric?: boolean }
  | { type: "date"; name: F; label: string };

/** The two day fields of a range ("From", "To"), UTC days. */
export function dayRange<F extends string>(from: F, to: F): FilterField<F>[] {
  return [
    { type: "date", name: from, label: "From" },
    { type: "date", name: to, label: "To" },
  ];
}

type FilterList<F extends string> = Pick<ListParams<string, F>, "filters" | "setFilter" | "setFilters" | "clear">;

export function FilterBar<F extends string>({
  list,
  fields,
}: {
  list: FilterList<F>;
  fields: readonly FilterField<F>[];
}) {
  return <FilterForm key={JSON.stringify(list.filters)} list={list} fields={fields} />;
}

function FilterForm<F extends string>({ list, fields }: { list: FilterList<F>; fields: readonly FilterField<F>[] }) {
  const { filters } = list;
  const [draft, setDraft] = useState<Record<F, string>>({ ...filters });
  const set = (name: F, value: string) => setDraft((d) => ({ ...d, [name]: value }));
  const apply = (event: FormEvent) => {
    event.preventDefault();
    list.setFilters(draft);
  };
  return (
    <form className="toolbar filters" onSubmit={apply} aria-label="Filters">
      {fields.map((field) => (
        <label key={field.name} className="inline-select">
          <span>{field.label}</span>
          {field.type === "select" ? (
            <select
              aria-label={field.label}
              value={filters[field.name]}
              onChange={(e) => list.setFilter(field.name, e.target.value)}
            >
              <option value="">{field.any}</option>
              {field.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : field.type === "date" ? (
            <input type="date" value={draft[field.name]} onChange={(e) => set(field.name, e.target.value)} />
          ) : (
            <input
              value={draft[field.name]}
              onChange={(e) => set(field.name, e.target.value)}
              inputMode={field.numeric ? "numeric" : undefined}
              placeholder="any"
              spellCheck={false}
              size={field.size ?? 14}
            />
          )}
        </label>
      ))}
      <button type="submit" className="button button-small button-primary">
        Apply filters
      </button>
      {Object.values<string>(filters).some(Boolean) ? (
        <button type="button" className="button button-small button-quiet" onClick={list.clear}>
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
