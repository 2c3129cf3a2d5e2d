-- CreateTable
CREATE TABLE "events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "pos" BIGSERIAL NOT NULL,
    "seq" BIGINT,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_sequencer" (
    "id" INTEGER NOT NULL,
    "last_seq" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "event_sequencer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_relays" (
    "name" TEXT NOT NULL,
    "last_seq" BIGINT NOT NULL DEFAULT 0,
    "owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_relays_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "webhook_endpoints" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "event_types" TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "secret" TEXT NOT NULL,
    "previous_secret" TEXT,
    "previous_secret_expires_at" TIMESTAMPTZ(3),
    "disabled_reason" TEXT,
    "failing_since" TIMESTAMPTZ(3),
    "last_success_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_endpoint_deliveries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "pos" BIGSERIAL NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "event_id" UUID,
    "message_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "payload" JSONB,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_status" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_endpoint_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_endpoint_attempts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "delivery_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "status_code" INTEGER,
    "response_body" TEXT,
    "error" TEXT,
    "outcome" TEXT NOT NULL,

    CONSTRAINT "webhook_endpoint_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "events_pos_key" ON "events"("pos");

-- CreateIndex
CREATE UNIQUE INDEX "events_seq_key" ON "events"("seq");

-- CreateIndex
CREATE INDEX "events_seq_pos_idx" ON "events"("seq", "pos");

-- CreateIndex
CREATE INDEX "events_type_seq_idx" ON "events"("type", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_endpoint_deliveries_pos_key" ON "webhook_endpoint_deliveries"("pos");

-- CreateIndex
CREATE INDEX "webhook_endpoint_deliveries_status_next_attempt_at_idx" ON "webhook_endpoint_deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_endpoint_deliveries_endpoint_id_pos_idx" ON "webhook_endpoint_deliveries"("endpoint_id", "pos" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "webhook_endpoint_deliveries_endpoint_id_event_id_key" ON "webhook_endpoint_deliveries"("endpoint_id", "event_id");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_endpoint_attempts_delivery_id_attempt_key" ON "webhook_endpoint_attempts"("delivery_id", "attempt");

-- AddForeignKey
ALTER TABLE "webhook_endpoint_deliveries" ADD CONSTRAINT "webhook_endpoint_deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_endpoint_deliveries" ADD CONSTRAINT "webhook_endpoint_deliveries_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_endpoint_attempts" ADD CONSTRAINT "webhook_endpoint_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "webhook_endpoint_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (not expressible in schema.prisma) ----------------------------------------------------

-- The sequencer's one row.
ALTER TABLE "event_sequencer" ADD CONSTRAINT "event_sequencer_one_row" CHECK ("id" = 1);
INSERT INTO "event_sequencer" ("id", "last_seq") VALUES (1, 0);

ALTER TABLE "events" ADD CONSTRAINT "events_type_not_empty" CHECK ("type" <> '');
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_event_types_present"
  CHECK ("event_types" IS NOT NULL AND cardinality("event_types") >= 1);
ALTER TABLE "webhook_endpoint_deliveries" ADD CONSTRAINT "webhook_endpoint_deliveries_status"
  CHECK ("status" IN ('pending', 'delivered', 'failed'));
ALTER TABLE "webhook_endpoint_deliveries" ADD CONSTRAINT "webhook_endpoint_deliveries_event_or_payload"
  CHECK (("event_id" IS NULL) <> ("payload" IS NULL));
ALTER TABLE "webhook_endpoint_attempts" ADD CONSTRAINT "webhook_endpoint_attempts_outcome"
  CHECK ("outcome" IN ('delivered', 'failed'));

-- The event log is append-only: the one UPDATE allowed gives a row its seq, once.
CREATE FUNCTION "events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD."seq" IS NULL AND NEW."seq" IS NOT NULL
     AND NEW."id" = OLD."id" AND NEW."pos" = OLD."pos" AND NEW."type" = OLD."type"
     AND NEW."data" = OLD."data" AND NEW."created_at" = OLD."created_at" THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the event log is append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER "events_append_only" BEFORE UPDATE OR DELETE ON "events"
  FOR EACH ROW EXECUTE FUNCTION "events_append_only"();
CREATE TRIGGER "events_no_truncate" BEFORE TRUNCATE ON "events"
  FOR EACH STATEMENT EXECUTE FUNCTION "events_append_only"();

-- Every process's dispatcher and relay wake on "events_out" when a transaction that wrote events or
-- deliveries commits (NOTIFY is delivered at commit), instead of polling tightly.
CREATE FUNCTION "notify_events_out"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('events_out', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER "events_out_events" AFTER INSERT ON "events"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_events_out"();
CREATE TRIGGER "events_out_deliveries" AFTER INSERT ON "webhook_endpoint_deliveries"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_events_out"();
