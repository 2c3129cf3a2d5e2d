// Where each relay of the event log stands (the last seq it published) and which process holds it.
import { type Db, statement } from "@shop/db";

/** Takes or renews the lease: $1 relay, $2 owner, $3 seconds. The stored seq, or no row (another holds it). */
const leaseStatement = statement<{ last_seq: string }>(
  "event-relays.lease",
  `INSERT INTO event_relays AS r (name, last_seq, owner, lease_until, updated_at)
   VALUES ($1::text, 0, $2::text, now() + $3::int4 * interval '1 second', now())
   ON CONFLICT (name) DO UPDATE
      SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until
    WHERE r.owner = EXCLUDED.owner OR r.owner IS NULL OR r.lease_until < now()
   RETURNING r.last_seq::text`,
);

/** Moves the seq forward (never back) and renews the lease, for the holder only. */
const advanceStatement = statement<{ last_seq: string }>(
  "event-relays.advance",
  `UPDATE event_relays
      SET last_seq = GREATEST(last_seq, $3::int8), lease_until = now() + $4::int4 * interval '1 second',
          updated_at = now()
    WHERE name = $1::text AND owner = $2::text
   RETURNING last_seq::text`,
);

const releaseStatement = statement<{ name: string }>(
  "event-relays.release",
  `UPDATE event_relays SET owner = NULL, lease_until = NULL WHERE name = $1::text AND owner = $2::text RETURNING name`,
);

const lastSeqStatement = statement<{ last_seq: string }>(
  "event-relays.last-seq",
  `SELECT last_seq::text FROM event_relays WHERE name = $1::text`,
);

export function eventRelaysRepository({ sql }: Pick<Db, "sql">) {
  return {
    async lease(name: string, owner: string, seconds: number): Promise<number | null> {
      const [row] = await sql.query(leaseStatement, [name, owner, seconds]);
      return row ? Number(row.last_seq) : null;
    },
    async advance(name: string, owner: string, seq: number, seconds: number): Promise<boolean> {
      const rows = await sql.query(advanceStatement, [name, owner, String(seq), seconds]);
      if (rows.length === 0) throw new Error(`relay ${name}: lease lost`);
      return true;
    },
    async release(name: string, owner: string) {
      await sql.query(releaseStatement, [name, owner]);
    },
    async lastSeq(name: string): Promise<number> {
      const [row] = await sql.query(lastSeqStatement, [name]);
      return row ? Number(row.last_seq) : 0;
    },
  };
}
