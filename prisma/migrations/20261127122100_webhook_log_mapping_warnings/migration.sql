-- Values the mapper found in a webhook but could not use ([{field, source?, reason, value}]), kept on
-- the inbox row so operators see what was dropped and why; null when everything mapped.
ALTER TABLE "webhook_logs" ADD COLUMN "mapping_warnings" JSONB;
