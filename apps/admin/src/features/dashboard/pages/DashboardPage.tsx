// The landing page: what sold in a range of days (in the URL), money in the wallets, users by status,
// refused webhook calls, charts per day and the top products, and whether the books balance.
import { centsToMoney, formatMoney, moneyToCents } from "@shop/contracts";
import { Link } from "@tanstack/react-router";
import { type CSSProperties, type FormEvent, type ReactNode, useState } from "react";
import { PageHeader } from "@/components/Layout.tsx";
import { ErrorState, Loading } from "@/components/States.tsx";
import { date, grouped, money } from "@/lib/format.ts";
import {
  RANGES,
  type Stats,
  useDashboardRange,
  useReconciliation,
  useRefusedWebhooks,
  useStats,
} from "@/features/dashboard/api/get-stats.ts";
import { AsOf } from "@/features/dashboard/components/AsOf.tsx";
import { BarChart, type Series } from "@/features/dashboard/components/BarChart.tsx";
import { ReconciliationPanel } from "@/features/dashboard/components/ReconciliationPanel.tsx";

/** A money text's size in cents, for drawing a bar (never used as an amount). */
const cents = (text: string) => Number(moneyToCents(formatMoney(text)));
const count = (text: string) => Number(text);
/** An axis tick in cents (a whole number) as money, exactly: "1,000" or "0.50". */
const centsTick = (value: number) => money(centsToMoney(BigInt(value))).replace(/\.00$/, "");
const shortDay = (day: string) =>
  new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(day));

function Kpi({
  label,
  value,
  hint,
  link,
}: {
  label: string;
  value: string;
  hint?: string;
  /** The label as a link to the list behind the figure. */
  link?: (label: string) => ReactNode;
}) {
  return (
    <div className="kpi" data-kpi={label}>
      <dt className="kpi-label">{link ? link(label) : label}</dt>
      <dd className="kpi-value money" style={{ "--chars": value.length } as CSSProperties}>
        {value}
      </dd>
      {hint ? <dd className="kpi-hint muted small">{hint}</dd> : null}
    </div>
  );
}

function RangePicker() {
  const range = useDashboardRange();
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (from && to && from <= to) range.setCustom(from, to);
  };
  return (
    <div className="range">
      <div className="segmented" role="group" aria-label="Range">
        {RANGES.map((r) => (
          <button
            key={r.value}
            type="button"
            className={`button button-small${range.range === r.value ? " button-primary" : ""}`}
            aria-pressed={range.range === r.value}
            onClick={() => {
              setFrom(range.from);
              setTo(range.to);
              range.setRange(r.value);
            }}
          >
            {r.label}
          </button>
        ))}
      </div>
      {range.range === "custom" ? (
        <form className="range-custom" onSubmit={apply}>
          <label>
            From <input type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} required />
          </label>
          <label>
            To <input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} required />
          </label>
          <button type="submit" className="button button-small">
            Show
          </button>
        </form>
      ) : null}
    </div>
  );
}

function Charts({ stats }: { stats: Stats }) {
  const days = stats.daily.map((d) => ({ key: d.date, label: shortDay(d.date) }));
  const perDay = (label: string, tone: Series["tone"], field: "sales" | "refunds" | "credits"): Series => ({
    label,
    tone,
    values: stats.daily.map((d) => d[field]),
    size: cents,
    format: money,
  });
  const counts = (label: string, tone: Series["tone"], values: number[]): Series => ({
    label,
    tone,
    values: values.map(String),
    size: count,
    format: (v) => v,
  });
  const daily = { categoryHeader: "Day", categories: days, layout: "columns" } as const;
  return (
    <div className="charts">
      <BarChart
        {...daily}
        title="Sales and refunds per day"
        series={[perDay("Sales", "accent", "sales"), perDay("Refunds", "danger", "refunds")]}
        tick={centsTick}
        empty="Nothing sold or refunded in this range."
      />
      <BarChart
        {...daily}
        title="Credits per day"
        series={[perDay("Credits", "success", "credits")]}
        tick={centsTick}
        empty="No credits in this range."
      />
      <BarChart
        {...daily}
        title="New users per day"
        series={[
          counts(
            "New users",
            "info",
            stats.daily.map((d) => d.newUsers),
          ),
        ]}
        tick={String}
        empty="Nobody registered in this range."
      />
      <BarChart
        title="Top products by net revenue"
        categoryHeader="Product"
        categories={stats.topProducts.map((p) => ({
          key: p.productId,
          label: p.title,
          header: (
            <Link to="/transactions" search={{ product: p.productId }}>
              {p.title}
            </Link>
          ),
        }))}
        layout="rows"
        series={[
          {
            label: "Net revenue",
            tone: "accent",
            values: stats.topProducts.map((p) => p.netRevenue),
            size: cents,
            format: money,
          },
          counts(
            "Sold",
            undefined,
            stats.topProducts.map((p) => p.count),
          ),
        ]}
        tick={String}
        empty="No sales in this range."
      />
    </div>
  );
}

export function DashboardPage() {
  const range = useDashboardRange();
  const stats = useStats(range.from, range.to);
  const books = useReconciliation();
  const refused = useRefusedWebhooks();

  const s = stats.data;
  const t = s?.totals;
  return (
    <>
      <PageHeader
        title="Dashboard"
        lead={
          s ? (
            <>
              {date(s.from)} – {date(s.to)} (UTC days) · <AsOf asOf={s.asOf} answeredAt={stats.dataUpdatedAt} />
            </>
          ) : (
            `${range.from} – ${range.to}`
          )
        }
      >
        <RangePicker />
      </PageHeader>

      {stats.isPending ? <Loading label="Loading figures…" /> : null}
      {stats.isError ? (
        <ErrorState error={stats.error} title="Could not load the figures" onRetry={() => void stats.refetch()} />
      ) : null}
      {t && s ? (
        <>
          <section aria-labelledby="kpi-heading" className="section">
            <h2 id="kpi-heading" className="visually-hidden">
              Key figures
            </h2>
            <dl className="kpis">
              <Kpi label="Net revenue" value={money(t.netRevenue)} hint="Sales − refunds" />
              <Kpi
                label="Sales"
                value={money(t.sales)}
                hint={`${grouped(t.salesCount)} purchases`}
                link={(l) => (
                  <Link to="/transactions" search={{ kind: "purchase" }}>
                    {l}
                  </Link>
                )}
              />
              <Kpi
                label="Refunds"
                value={money(t.refunds)}
                link={(l) => (
                  <Link to="/transactions" search={{ kind: "refund" }}>
                    {l}
                  </Link>
                )}
              />
              <Kpi
                label="Credits"
                value={money(t.credits)}
                hint={`${grouped(t.creditsCount)} payments`}
                link={(l) => (
                  <Link to="/transactions" search={{ kind: "credit" }}>
                    {l}
                  </Link>
                )}
              />
              <Kpi label="Money in wallets" value={money(t.walletsTotal)} hint="Now" />
              <Kpi label="Money held" value={money(t.held)} hint="Now: unexpired authorizations" />
              <Kpi
                label="Users pending"
                value={grouped(t.users.pending)}
                link={(l) => (
                  <Link to="/users" search={{ status: "pending" }}>
                    {l}
                  </Link>
                )}
              />
              <Kpi
                label="Users active"
                value={grouped(t.users.active)}
                link={(l) => (
                  <Link to="/users" search={{ status: "active" }}>
                    {l}
                  </Link>
                )}
              />
              <Kpi
                label="Users disabled"
                value={grouped(t.users.disabled)}
                link={(l) => (
                  <Link to="/users" search={{ status: "disabled" }}>
                    {l}
                  </Link>
                )}
              />
              <Kpi
                label="Refused webhook calls (24 h)"
                value={refused.refused === undefined ? (refused.error ? "—" : "…") : grouped(refused.refused)}
                hint={refused.error ? "Could not count them" : undefined}
              />
            </dl>
          </section>
          <section aria-labelledby="charts-heading" className="section">
            <h2 id="charts-heading">Per day</h2>
            <Charts stats={s} />
          </section>
        </>
      ) : null}

      <section aria-labelledby="books-heading" className="section">
        <h2 id="books-heading">Reconciliation</h2>
        <ReconciliationPanel query={books} />
      </section>
    </>
  );
}
