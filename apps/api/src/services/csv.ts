// CSV text for spreadsheets (RFC 4180 plus the formula guard). A spreadsheet reads a cell that starts
// with = + - @ (or a tab or a carriage return, which some strip before looking) as a formula: such a
// cell gets a leading ' (OWASP's CSV injection advice), with no exemption for things that look like
// numbers (`-1+1` and `-2+3+cmd|' /C calc'!A0` both start with a digit after the minus; the money
// columns are never negative, so no real value is touched). A cell holding the separator, a `;` (the
// separator of spreadsheets in several locales), a quote or a line break is quoted.

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",;\r\n]/;

/** One CSV field: empty for null / undefined; guarded and quoted as above. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record, CRLF-terminated. */
export const csvLine = (values: readonly unknown[]) => `${values.map(csvField).join(",")}\r\n`;
