-- AlterEnum
-- On its own: a value added to an enum cannot be used before the transaction that adds it commits, and
-- the next migration's CHECKs name these values.
ALTER TYPE "ledger_kind" ADD VALUE 'refund';
ALTER TYPE "ledger_kind" ADD VALUE 'adjustment';
