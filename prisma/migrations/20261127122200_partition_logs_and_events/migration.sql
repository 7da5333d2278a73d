-- webhook_logs and call_events become tables partitioned by month of created_at (declarative range
-- partitions), so retention drops whole partitions instead of deleting rows. Prisma cannot express
-- partitioning: schema.prisma describes the parent tables only. See
-- docs/decisions/0007-partitioned-logs-and-events.md. Every row is copied; nothing is lost.
--
-- Unique indexes of a partitioned table must contain the partition key, so:
-- - redelivery detection (webhook_logs.dedup_key, globally unique before) moves to
--   webhook_dedup_keys, a small unpartitioned table with its own retention;
-- - call_events is unique on (webhook_log_id, created_at), and the created_at of an event that came
--   from a webhook is its inbox row's created_at (a value every redelivery of that row knows), so
--   the pair is as unique as webhook_log_id alone was.
-- New monthly partitions are created ahead, and old ones dropped, by the maintenance job
-- (libs/maintenance). A DEFAULT partition catches a row no partition covers (e.g. a replayed
-- webhook whose month was already dropped) instead of failing the write.

-- Creates monthly partitions of `parent` from the month of `first` to `months_ahead` months after
-- the current one, plus its DEFAULT partition. Names: <parent>_pYYYYMM, <parent>_default.
CREATE FUNCTION pg_temp.create_monthly_partitions(parent text, first timestamptz, months_ahead int)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  m timestamp := date_trunc('month', LEAST(COALESCE(first, now()), now()) AT TIME ZONE 'UTC');
  last timestamp := date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => months_ahead);
BEGIN
  WHILE m <= last LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
      parent || '_p' || to_char(m, 'YYYYMM'), parent,
      (m AT TIME ZONE 'UTC')::text, ((m + interval '1 month') AT TIME ZONE 'UTC')::text);
    m := m + interval '1 month';
  END LOOP;
  EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', parent || '_default', parent);
END $$;

-- Redelivery detection -------------------------------------------------------------------------

-- CreateTable
CREATE TABLE "webhook_dedup_keys" (
    "dedup_key" TEXT NOT NULL,
    "webhook_log_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_dedup_keys_pkey" PRIMARY KEY ("dedup_key")
);

-- CreateIndex
CREATE INDEX "webhook_dedup_keys_created_at_idx" ON "webhook_dedup_keys"("created_at");

INSERT INTO "webhook_dedup_keys" ("dedup_key", "webhook_log_id", "created_at")
SELECT "dedup_key", "id", "created_at" FROM "webhook_logs" WHERE "dedup_key" IS NOT NULL;

-- webhook_logs -----------------------------------------------------------------------------------
-- LIKE copies every column as it is now (names, order, types, defaults, NOT NULL), including any
-- column an earlier migration added, so SELECT * copies each row whole.

CREATE TABLE "webhook_logs_partitioned" (LIKE "webhook_logs" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS)
  PARTITION BY RANGE ("created_at");
SELECT pg_temp.create_monthly_partitions('webhook_logs_partitioned', (SELECT min("created_at") FROM "webhook_logs"), 3);
INSERT INTO "webhook_logs_partitioned" SELECT * FROM "webhook_logs";
DROP TABLE "webhook_logs";
ALTER TABLE "webhook_logs_partitioned" RENAME TO "webhook_logs";
ALTER TABLE "webhook_logs_partitioned_default" RENAME TO "webhook_logs_default";
DO $$
DECLARE p record;
BEGIN
  FOR p IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           WHERE i.inhparent = 'webhook_logs'::regclass AND c.relname LIKE 'webhook_logs_partitioned_p%' LOOP
    EXECUTE format('ALTER TABLE %I RENAME TO %I', p.relname, replace(p.relname, 'webhook_logs_partitioned_', 'webhook_logs_'));
  END LOOP;
END $$;

ALTER TABLE "webhook_logs" ADD CONSTRAINT "webhook_logs_pkey" PRIMARY KEY ("id", "created_at");

-- CreateIndex
CREATE INDEX "webhook_logs_provider_created_at_idx" ON "webhook_logs"("provider", "created_at");

-- CreateIndex
CREATE INDEX "webhook_logs_status_created_at_idx" ON "webhook_logs"("status", "created_at");

-- CreateIndex
CREATE INDEX "webhook_logs_connection_id_created_at_idx" ON "webhook_logs"("connection_id", "created_at");

-- CreateIndex (BRIN: a few pages for the whole table, near-free on insert; the maintenance job
-- walks created_at ranges with it to clear raw bodies past RAW_PAYLOAD_RETENTION_DAYS)
CREATE INDEX "webhook_logs_created_at_idx" ON "webhook_logs" USING BRIN ("created_at");

-- AddForeignKey
ALTER TABLE "webhook_logs" ADD CONSTRAINT "webhook_logs_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "provider_connections"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- call_events ------------------------------------------------------------------------------------

-- An event from a webhook is dated by its inbox row (see above); redeliveries compute the same value.
UPDATE "call_events" ce SET "created_at" = wl."created_at"
FROM "webhook_logs" wl WHERE wl."id" = ce."webhook_log_id" AND ce."created_at" IS DISTINCT FROM wl."created_at";

CREATE TABLE "call_events_partitioned" (LIKE "call_events" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS)
  PARTITION BY RANGE ("created_at");
SELECT pg_temp.create_monthly_partitions('call_events_partitioned', (SELECT min("created_at") FROM "call_events"), 3);
INSERT INTO "call_events_partitioned" SELECT * FROM "call_events";
DROP TABLE "call_events";
ALTER TABLE "call_events_partitioned" RENAME TO "call_events";
ALTER TABLE "call_events_partitioned_default" RENAME TO "call_events_default";
DO $$
DECLARE p record;
BEGIN
  FOR p IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           WHERE i.inhparent = 'call_events'::regclass AND c.relname LIKE 'call_events_partitioned_p%' LOOP
    EXECUTE format('ALTER TABLE %I RENAME TO %I', p.relname, replace(p.relname, 'call_events_partitioned_', 'call_events_'));
  END LOOP;
END $$;

ALTER TABLE "call_events" ADD CONSTRAINT "call_events_pkey" PRIMARY KEY ("id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "call_events_webhook_log_id_created_at_key" ON "call_events"("webhook_log_id", "created_at");

-- CreateIndex
CREATE INDEX "call_events_call_id_occurred_at_idx" ON "call_events"("call_id", "occurred_at");

-- AddForeignKey
ALTER TABLE "call_events" ADD CONSTRAINT "call_events_call_id_fkey" FOREIGN KEY ("call_id") REFERENCES "calls"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Maintenance bookkeeping ------------------------------------------------------------------------

-- CreateTable
CREATE TABLE "maintenance_state" (
    "name" VARCHAR(100) NOT NULL,
    "value" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "maintenance_state_pkey" PRIMARY KEY ("name")
);

DROP FUNCTION pg_temp.create_monthly_partitions(text, timestamptz, int);
