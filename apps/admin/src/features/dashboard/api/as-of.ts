// The age of a report: the API says when its figures are true (`asOf`: now on the primary, the last
// replayed transaction on a read replica); the dashboard says it, and how far behind it was when it
// answered. A few seconds are normal (the request itself, clocks a little apart) and not mentioned.

/** Lags up to this are not mentioned. */
export const BEHIND_AFTER_MS = 5_000;

const timeFormat = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** "12:01:02" (local time) and, when `asOf` was more than 5 s old at `answeredAt`, "42 s behind". */
export function asOfText(asOf: string, answeredAt: number): { time: string; behind: string | null } {
  const at = Date.parse(asOf);
  const lag = answeredAt - at;
  return { time: timeFormat.format(at), behind: lag > BEHIND_AFTER_MS ? `${behindText(lag)} behind` : null };
}

function behindText(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 120) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 120) return `${min} min`;
  return `${Math.floor(min / 60)} h`;
}
