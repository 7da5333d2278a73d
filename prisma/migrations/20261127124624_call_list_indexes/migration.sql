-- GET /calls pages by (started_at DESC, id DESC) from a cursor, optionally filtered by connection,
-- provider or campaign. Indexes that end in the page order answer a page, first or 300,000 rows
-- deep, with one short index range scan; the previous ones (started_at only) made PostgreSQL sort.
-- The replaced indexes' other uses (connection + time window, campaign lookups, time ranges of
-- reports) are served by the new ones' leading columns.

-- DropIndex
DROP INDEX "calls_started_at_idx";

-- DropIndex
DROP INDEX "calls_connection_id_started_at_idx";

-- DropIndex
DROP INDEX "calls_campaign_external_id_idx";

-- CreateIndex
CREATE INDEX "calls_started_at_id_idx" ON "calls"("started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "calls_connection_id_started_at_id_idx" ON "calls"("connection_id", "started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "calls_provider_started_at_id_idx" ON "calls"("provider", "started_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "calls_campaign_external_id_started_at_id_idx" ON "calls"("campaign_external_id", "started_at" DESC, "id" DESC);
