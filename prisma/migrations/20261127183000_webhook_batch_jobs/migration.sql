-- The ingress enqueues one BullMQ job per INSERT batch instead of one per row (decision 0019). The
-- job a row belongs to is written with the row, so the relay and the backlog gauges can tell
-- whether a `queued` row still has its job. NULL: the row's job id is its own id (relay, replay,
-- rows written before this migration). Adding a nullable column rewrites nothing.

-- AlterTable
ALTER TABLE "webhook_logs" ADD COLUMN "job_id" VARCHAR(64);
