// The dashboard's figures: GET /stats for a range of UTC days (kept in the URL: ?range=7d, or
// ?range=custom&from=2026-11-01&to=2026-11-30), the books (GET /reconciliation), and the webhook calls
// refused in the last 24 hours (counted from the inbox's totals: every call minus the credited ones
// and the replays the provider was told were already processed). All are asked at once when the page
// opens; the two reports each in a request of its own (ALONE), so that neither waits for the other.
import { useQueries, useQuery } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { z } from "zod";
import { ZDaySchema, param } from "@/lib/list.ts";
import { ALONE, type RouterOutputs, trpc } from "@/lib/trpc.ts";

export type Stats = RouterOutputs["stats"]["get"];
export type Reconciliation = RouterOutputs["reconciliation"]["get"];

export const RANGES = [
  { value: "today", label: "Today", days: 1 },
  { value: "7d", label: "7 days", days: 7 },
  { value: "30d", label: "30 days", days: 30 },
  { value: "custom", label: "Custom", days: 0 },
] as const;
export type RangeName = (typeof RANGES)[number]["value"];

/** The /dashboard route's search: the range (default 30 days, left out of the URL) and custom days. */
export const ZDashboardSearchSchema = z.object({
  range: param(z.enum(["today", "7d", "custom"])),
  from: param(ZDaySchema),
  to: param(ZDaySchema),
});

const route = getRouteApi("/_app/dashboard");
const DAY_MS = 86_400_000;

/** A UTC calendar day, YYYY-MM-DD. */
export function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

export interface DashboardRange {
  range: RangeName;
  from: string;
  to: string;
  setRange(range: RangeName): void;
  setCustom(from: string, to: string): void;
}

/** The range in the URL; the default (30 days) is left out of it. */
export function useDashboardRange(): DashboardRange {
  const search = route.useSearch();
  const navigate = useNavigate();
  const range: RangeName = search.range ?? "30d";
  // The time when the page opened: the range does not move under the figures while they are read.
  const [now] = useState(() => Date.now());
  const today = utcDay(now);
  let from: string;
  let to = today;
  if (range === "custom") {
    to = search.to ?? today;
    from = search.from && search.from <= to ? search.from : utcDay(Date.parse(to) - 29 * DAY_MS);
  } else {
    const days = RANGES.find((r) => r.value === range)?.days ?? 30;
    from = utcDay(now - (days - 1) * DAY_MS);
  }
  return {
    range,
    from,
    to,
    setRange: (next) =>
      void navigate({
        to: "/dashboard",
        search: next === "30d" ? {} : next === "custom" ? { range: next, from, to } : { range: next },
      }),
    setCustom: (f, t) => void navigate({ to: "/dashboard", search: { range: "custom", from: f, to: t } }),
  };
}

export function useStats(from: string, to: string) {
  return useQuery(trpc.stats.get.queryOptions({ from, to }, ALONE));
}

export function useReconciliation() {
  return useQuery(trpc.reconciliation.get.queryOptions(undefined, ALONE));
}

/** Webhook calls refused in the last 24 hours (to the minute, so the query key stays put meanwhile). */
export function useRefusedWebhooks() {
  const [since] = useState(() => new Date(Math.floor(Date.now() / 60_000) * 60_000 - DAY_MS).toISOString());
  return useQueries({
    queries: [undefined, "credited", "already_processed"].map((outcome) =>
      trpc.webhooks.list.queryOptions({
        limit: 1,
        from: since,
        outcome: outcome as "credited" | "already_processed" | undefined,
      }),
    ),
    combine: (results) => {
      const [all, credited, replayed] = results.map((r) => r.data?.total);
      const error = results.find((r) => r.error)?.error;
      return {
        since,
        error,
        refused:
          all === undefined || credited === undefined || replayed === undefined ? undefined : all - credited - replayed,
      };
    },
  });
}
