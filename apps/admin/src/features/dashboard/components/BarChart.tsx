// A bar chart drawn as plain SVG (no chart library: see the README), one or two series per category.
// The drawing is hidden from assistive technology; the same figures are in a table under it, visible
// to screen readers (and to anyone who opens "Show the figures"). It scales to its container, so it
// works at 390 px: the SVG has a viewBox and no fixed width.
import { useId } from "react";

export interface Series {
  label: string;
  /** A CSS class giving the bars their colour. */
  tone: "accent" | "danger" | "success" | "info";
  /** One value per category, as exact figures; `size` turns one into a bar height. */
  values: readonly string[];
}

const W = 640;
const H = 200;
const PAD = { top: 10, right: 8, bottom: 22, left: 8 };

export function BarChart({
  title,
  categories,
  categoryLabel,
  series,
  size,
  format,
}: {
  title: string;
  categories: readonly string[];
  /** How a category shows under a bar (a short date). */
  categoryLabel(category: string): string;
  series: readonly Series[];
  /** A value's size for drawing only (figures are shown with `format`). */
  size(value: string): number;
  format(value: string): string;
}) {
  const id = useId();
  const sizes = series.map((s) => s.values.map(size));
  const max = Math.max(1, ...sizes.flat());
  const n = Math.max(1, categories.length);
  const band = (W - PAD.left - PAD.right) / n;
  const gap = Math.min(4, band * 0.2);
  const bar = (band - gap) / Math.max(1, series.length);
  const plot = H - PAD.top - PAD.bottom;
  // Label at most ~8 categories under the axis, evenly.
  const every = Math.max(1, Math.ceil(n / 8));
  const empty = sizes.flat().every((v) => v === 0);

  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="chart-title">
        {title}
      </figcaption>
      <div className="chart-legend" aria-hidden="true">
        {series.map((s) => (
          <span key={s.label} className="chart-key">
            <span className={`chart-swatch tone-${s.tone}`} /> {s.label}
          </span>
        ))}
      </div>
      <svg
        className="chart-svg"
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        aria-hidden="true"
        focusable="false"
      >
        <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} className="chart-axis" />
        {categories.map((category, i) => (
          <g key={category}>
            {series.map((s, k) => {
              const v = sizes[k]?.[i] ?? 0;
              const h = (v / max) * plot;
              return (
                <rect
                  key={s.label}
                  className={`chart-bar tone-${s.tone}`}
                  x={PAD.left + i * band + gap / 2 + k * bar}
                  y={H - PAD.bottom - h}
                  width={Math.max(1, bar)}
                  height={h}
                >
                  <title>{`${categoryLabel(category)} · ${s.label}: ${format(s.values[i] ?? "0")}`}</title>
                </rect>
              );
            })}
            {i % every === 0 ? (
              <text x={PAD.left + i * band + band / 2} y={H - 6} className="chart-label" textAnchor="middle">
                {categoryLabel(category)}
              </text>
            ) : null}
          </g>
        ))}
      </svg>
      {empty ? <p className="muted small">Nothing in this range.</p> : null}
      <details className="chart-data">
        <summary>Show the figures</summary>
        <div className="table-wrap">
          <table className="table table-chart">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {series.map((s) => (
                  <th key={s.label} scope="col" className="numeric">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {categories.map((category, i) => (
                <tr key={category}>
                  <th scope="row">{categoryLabel(category)}</th>
                  {series.map((s) => (
                    <td key={s.label} className="numeric money">
                      {format(s.values[i] ?? "0")}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
