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

/** A count, grouped: 990200 → "990,200" (text in, text out: exact past 2^53 too). */
export function grouped(value: number | string): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
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
