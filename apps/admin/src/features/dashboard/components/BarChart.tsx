// A bar chart drawn with visx (scales and bars as plain SVG; the README says why visx): columns per
// category (days) or one row per category (top products). Its figures are a real table that is always
// in the accessibility tree: visually hidden under the drawing, shown instead of it by "Table view" (a
// toggle button, keyboard reachable). The drawing itself is hidden from assistive technology, so a
// screen reader meets each figure once, in the table. It is drawn at the width it is given (measured),
// so its text keeps its size at 390 px. Bar sizes are numbers for drawing only; every figure shown, in
// the table and on the bars, is the API's exact text through `format`.
import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";
import { type ReactNode, useId, useState } from "react";
import { useElementWidth } from "@/hooks/use-element-width.ts";

export interface Series {
  label: string;
  /** The bars' colour; a series without one is in the table only. */
  tone?: "accent" | "danger" | "success" | "info";
  /** One exact figure per category. */
  values: readonly string[];
  /** A figure's size, for drawing only. */
  size(value: string): number;
  /** A figure as shown. */
  format(value: string): string;
}

export interface Category {
  key: string;
  /** Under a column, or over a row's bar. */
  label: string;
  /** The table's row header (a link, say); the label otherwise. */
  header?: ReactNode;
}

interface Props {
  title: string;
  /** The table's first column. */
  categoryHeader: string;
  categories: readonly Category[];
  series: readonly Series[];
  layout: "columns" | "rows";
  /** An axis value (a whole number of the series' unit: cents, users) as shown. */
  tick(value: number): string;
  empty: string;
}

const COLUMNS_HEIGHT = 176;
const ROW_HEIGHT = 36;
/** Approximate width of a character of the 11 px labels, to fit them. */
const CHAR = 6.4;

export function BarChart({ title, categoryHeader, categories, series, layout, tick, empty }: Props) {
  const id = useId();
  const [tableView, setTableView] = useState(false);
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const drawn = series.filter((s) => s.tone !== undefined);
  const nothing = drawn.every((s) => s.values.every((v) => s.size(v) === 0));

  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <div className="chart-head">
        <figcaption id={`${id}-title`} className="chart-title">
          {title}
        </figcaption>
        <button
          type="button"
          className="button button-small chart-toggle"
          aria-pressed={tableView}
          aria-controls={`${id}-table`}
          onClick={() => setTableView((v) => !v)}
        >
          Table view
        </button>
      </div>
      {tableView ? null : (
        <>
          {layout === "columns" ? (
            <div className="chart-legend" aria-hidden="true">
              {drawn.map((s) => (
                <span key={s.label} className="chart-key">
                  <span className={`chart-swatch tone-${s.tone}`} /> {s.label}
                </span>
              ))}
            </div>
          ) : null}
          <div ref={ref} className="chart-plot" aria-hidden="true">
            {width > 0 && categories.length > 0 ? (
              layout === "columns" ? (
                <Columns width={width} categories={categories} series={drawn} tick={tick} />
              ) : (
                <Rows width={width} categories={categories} series={drawn} />
              )
            ) : null}
          </div>
          {nothing ? <p className="muted small">{empty}</p> : null}
        </>
      )}
      <div
        id={`${id}-table`}
        className={`chart-figures ${tableView ? "table-wrap" : "visually-hidden"}`}
        // Shown, it scrolls (a month of days): a named region reached with Tab, to scroll from the keyboard.
        {...(tableView ? { role: "region", "aria-labelledby": `${id}-title`, tabIndex: 0 } : {})}
      >
        <table className="table table-chart">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{categoryHeader}</th>
              {series.map((s) => (
                <th key={s.label} scope="col" className="numeric">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {categories.map((category, i) => (
              <tr key={category.key}>
                <th scope="row">{category.header ?? category.label}</th>
                {series.map((s) => (
                  <td key={s.label} className="numeric money">
                    {s.format(s.values[i] ?? "0")}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

/** Columns per category, the series side by side, a value axis with whole-number ticks. */
function Columns({
  width,
  categories,
  series,
  tick,
}: {
  width: number;
  categories: readonly Category[];
  series: readonly Series[];
  tick(value: number): string;
}) {
  const sizes = series.map((s) => s.values.map(s.size));
  const y = scaleLinear<number>({ domain: [0, Math.max(1, ...sizes.flat())], nice: true });
  const ticks = y.ticks(4).filter(Number.isInteger);
  const left = Math.ceil(Math.max(...ticks.map((t) => tick(t).length)) * CHAR) + 8;
  const margin = { top: 8, right: 4, bottom: 20, left };
  const innerWidth = Math.max(1, width - margin.left - margin.right);
  const innerHeight = COLUMNS_HEIGHT - margin.top - margin.bottom;
  y.range([innerHeight, 0]);
  const x = scaleBand<string>({
    domain: categories.map((c) => c.key),
    range: [0, innerWidth],
    paddingInner: categories.length > 1 ? 0.2 : 0,
  });
  const inBand = scaleBand<string>({ domain: series.map((s) => s.label), range: [0, x.bandwidth()], padding: 0.05 });
  // As many category labels as fit side by side, evenly spread.
  const longest = Math.max(...categories.map((c) => c.label.length)) * CHAR + 10;
  const every = Math.max(1, Math.ceil(categories.length / Math.max(1, Math.floor(innerWidth / longest))));

  return (
    <svg className="chart-svg" width={width} height={COLUMNS_HEIGHT} focusable="false">
      <Group left={margin.left} top={margin.top}>
        {ticks.map((t) => (
          <g key={t} transform={`translate(0, ${y(t)})`}>
            <line x2={innerWidth} className={t === 0 ? "chart-axis" : "chart-grid"} />
            <text x={-6} dy="0.32em" textAnchor="end" className="chart-label">
              {tick(t)}
            </text>
          </g>
        ))}
        {categories.map((category, i) => (
          <Group key={category.key} left={x(category.key) ?? 0}>
            {series.map((s, k) => {
              const value = sizes[k]?.[i] ?? 0;
              const top = y(value);
              return (
                <Bar
                  key={s.label}
                  className={`chart-bar tone-${s.tone}`}
                  x={inBand(s.label) ?? 0}
                  y={top}
                  width={Math.max(1, inBand.bandwidth())}
                  height={innerHeight - top}
                >
                  <title>{`${category.label} · ${s.label}: ${s.format(s.values[i] ?? "0")}`}</title>
                </Bar>
              );
            })}
            {i % every === 0 ? (
              <text x={x.bandwidth() / 2} y={innerHeight + 14} textAnchor="middle" className="chart-label">
                {category.label}
              </text>
            ) : null}
          </Group>
        ))}
      </Group>
    </svg>
  );
}

/** One row per category: its label and figure on a line, the bar under them (fits any width). */
function Rows({
  width,
  categories,
  series,
}: {
  width: number;
  categories: readonly Category[];
  series: readonly Series[];
}) {
  const s = series[0];
  if (!s) return null;
  const sizes = s.values.map(s.size);
  const x = scaleLinear<number>({ domain: [0, Math.max(1, ...sizes)], range: [0, width] });
  return (
    <svg className="chart-svg" width={width} height={categories.length * ROW_HEIGHT} focusable="false">
      {categories.map((category, i) => {
        const figure = s.format(s.values[i] ?? "0");
        // The label gives way to the figure where both do not fit.
        const room = Math.max(4, Math.floor((width - figure.length * CHAR - 12) / CHAR));
        const label = category.label.length > room ? `${category.label.slice(0, room - 1)}…` : category.label;
        return (
          <Group key={category.key} top={i * ROW_HEIGHT}>
            <text y={13} className="chart-label chart-label-strong">
              {label}
            </text>
            <text x={width} y={13} textAnchor="end" className="chart-label money">
              {figure}
            </text>
            <rect y={19} width={width} height={10} rx={2} className="chart-track" />
            <Bar className={`chart-bar tone-${s.tone}`} y={19} width={x(sizes[i] ?? 0)} height={10} rx={2}>
              <title>{`${category.label}: ${figure}`}</title>
            </Bar>
          </Group>
        );
      })}
    </svg>
  );
}
