/** Nearest-rank percentile of an ascending array (q in 0..1). */
export function percentile(sorted: number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}
