// Display formats. Money stays text all the way: "1234.5" → "1,234.50", never through a float.
import { centsToMoney, formatMoney, moneyToCents } from "@shop/contracts";

/** "1234.5" → "1,234.50"; "-30.5" → "−30.50". */
export function money(text: string): string {
  const normal = formatMoney(text);
  const negative = normal.startsWith("-");
  const [whole = "0", fraction = "00"] = (negative ? normal.slice(1) : normal).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "−" : ""}${grouped}.${fraction}`;
}

/** The exact sum of money texts, as money text. */
export function sumMoney(texts: readonly string[]): string {
  let cents = 0n;
  for (const text of texts) {
    cents += text.startsWith("-") ? -moneyToCents(formatMoney(text).slice(1)) : moneyToCents(formatMoney(text));
  }
  return centsToMoney(cents);
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

export function dateTime(iso: string): string {
  return dateTimeFormat.format(new Date(iso));
}

export function date(iso: string): string {
  return dateFormat.format(new Date(iso));
}

/** A positive whole number from the query string, or the fallback. */
export function positiveInt(text: string | null, fallback: number): number {
  if (!text || !/^[1-9][0-9]{0,6}$/.test(text)) return fallback;
  return Number(text);
}

/** The API takes offsets up to 1,000,000 (ZPageInputSchema). */
const MAX_OFFSET = 1_000_000;

/** A 1-based page number from the query string, kept within the offsets the API accepts. */
export function pageParam(text: string | null, pageSize: number): number {
  return Math.min(positiveInt(text, 1), Math.floor(MAX_OFFSET / pageSize) + 1);
}
