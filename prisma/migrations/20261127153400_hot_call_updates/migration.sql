-- Merge updates of `calls` become HOT (heap-only: the new row version goes on the same page and no
-- index gets a new entry). Every update sets updated_at, so an index on it made every one of them
-- rewrite all seven indexes; nothing reads calls by updated_at (lists and reports go by started_at,
-- id; the sync by connection_id, external_id). A fillfactor leaves room on each page for the new
-- version of a row updated several times while its call is live. Decision 0015.

-- DropIndex
DROP INDEX "calls_provider_updated_at_idx";

-- Not expressible in schema.prisma: pages filled to 70%, the rest kept for updated versions.
ALTER TABLE "calls" SET (fillfactor = 70);
