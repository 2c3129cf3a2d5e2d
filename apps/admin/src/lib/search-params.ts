// The URL's query string as the router reads and writes it: plain `key=value` text (?q=tea&page=2), as a
// person types it and as links elsewhere (the README, the API's docs) write it. TanStack Router's default
// writes JSON (`?tx=%22123%22` for the text "123"); here every value is text, and each route's zod schema
// (validateSearch) turns it into numbers and enums. Absent and empty values are left out.

export function parseSearch(search: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(search));
}

export function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, typeof value === "object" ? JSON.stringify(value) : String(value as string | number | boolean));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
