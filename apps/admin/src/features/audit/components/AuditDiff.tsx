// An entry's before / after as a readable diff: one row per field, the changed ones marked.
type Values = Record<string, unknown> | null;

const show = (value: unknown) =>
  value === undefined ? "—" : typeof value === "string" ? value : JSON.stringify(value);

export function AuditDiff({ before, after }: { before: Values; after: Values }) {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  if (keys.length === 0) return <span className="muted">—</span>;
  return (
    <table className="diff">
      <caption className="visually-hidden">Changes</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => {
          const b = before?.[key];
          const a = after?.[key];
          const changed = JSON.stringify(b) !== JSON.stringify(a);
          return (
            <tr key={key} className={changed ? "diff-changed" : undefined}>
              <th scope="row">{key}</th>
              <td>{before ? <del className={changed ? "diff-old" : undefined}>{show(b)}</del> : "—"}</td>
              <td>{after ? <ins className={changed ? "diff-new" : undefined}>{show(a)}</ins> : "—"}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
