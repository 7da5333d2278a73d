-- Sync engine: the scheduled sync's state per connection gains a high-water mark and run figures,
-- and operator-started runs (backfill, recovery, consistency check, parallel-run report) get a
-- table of their own with progress, cancellation and a report.

-- AlterEnum
ALTER TYPE "sync_state" ADD VALUE 'auth_failed';

-- AlterTable
ALTER TABLE "sync_status" ADD COLUMN     "high_water_mark" TIMESTAMPTZ(6),
ADD COLUMN     "records_seen" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "records_changed" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "records_skipped" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "last_duration_ms" INTEGER;

-- CreateTable
CREATE TABLE "sync_runs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "connection_id" UUID NOT NULL,
    "provider" VARCHAR(50) NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "state" VARCHAR(20) NOT NULL DEFAULT 'queued',
    "window_from" TIMESTAMPTZ(6) NOT NULL,
    "window_to" TIMESTAMPTZ(6) NOT NULL,
    "chunk_seconds" INTEGER NOT NULL,
    "chunks_total" INTEGER NOT NULL,
    "chunks_done" INTEGER NOT NULL DEFAULT 0,
    "pages" INTEGER NOT NULL DEFAULT 0,
    "calls_seen" INTEGER NOT NULL DEFAULT 0,
    "calls_created" INTEGER NOT NULL DEFAULT 0,
    "calls_updated" INTEGER NOT NULL DEFAULT 0,
    "calls_skipped" INTEGER NOT NULL DEFAULT 0,
    "report" JSONB,
    "error" TEXT,
    "cancel_requested" BOOLEAN NOT NULL DEFAULT false,
    "requested_by" VARCHAR(100),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(6),
    "finished_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sync_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sync_runs_connection_id_created_at_idx" ON "sync_runs"("connection_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "sync_runs_state_idx" ON "sync_runs"("state");

-- AddForeignKey
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "provider_connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;
