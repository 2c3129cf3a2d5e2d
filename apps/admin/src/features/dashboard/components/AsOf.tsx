// When the figures are true: "as of 12:01:02", and "n s behind" when they are older than a few seconds
// at the moment they were answered (a read replica replaying the primary's changes late).
import { asOfText } from "@/features/dashboard/api/as-of.ts";

export function AsOf({ asOf, answeredAt }: { asOf: string; answeredAt: number }) {
  const { time, behind } = asOfText(asOf, answeredAt);
  return (
    <span className="as-of" data-testid="as-of">
      as of <time dateTime={asOf}>{time}</time>
      {behind ? <span className="as-of-behind"> · {behind}</span> : null}
    </span>
  );
}
