// Money on the tests' side, written independently of @shop/contracts so that tests check the API's
// arithmetic instead of repeating it. Integer cents only: no floats.

/** "-12.34" / "12.3" / "7" → cents. */
export function cents(text: string): bigint {
  const match = /^(-?)([0-9]+)(?:\.([0-9]{1,2}))?$/.exec(text.trim());
  if (!match) throw new Error(`not an amount: ${text}`);
  const value = BigInt(match[2]!) * 100n + BigInt((match[3] ?? "").padEnd(2, "0"));
  return match[1] ? -value : value;
}

/** Cents → the API's money text ("12.50"). */
export function money(c: bigint): string {
  const sign = c < 0n ? "-" : "";
  const abs = c < 0n ? -c : c;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}
