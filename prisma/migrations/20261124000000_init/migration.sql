-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "connection_mode" AS ENUM ('shadow', 'live');

-- CreateEnum
CREATE TYPE "call_status" AS ENUM ('ringing', 'in_progress', 'completed', 'missed', 'busy', 'failed', 'canceled', 'rejected');

-- CreateEnum
CREATE TYPE "webhook_status" AS ENUM ('received', 'queued', 'processed', 'failed', 'rejected', 'ignored');

-- CreateEnum
CREATE TYPE "sync_state" AS ENUM ('idle', 'running', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "provider_connections" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "provider_type" VARCHAR(50) NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "credentials" TEXT NOT NULL,
    "webhook_secrets" TEXT,
    "key_id" VARCHAR(64) NOT NULL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "features" JSONB NOT NULL DEFAULT '{}',
    "ip_allowlist" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "mode" "connection_mode" NOT NULL DEFAULT 'live',
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provider_connections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calls" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "connection_id" UUID NOT NULL,
    "provider" VARCHAR(50) NOT NULL,
    "external_id" VARCHAR(255) NOT NULL,
    "status" "call_status" NOT NULL DEFAULT 'ringing',
    "campaign_external_id" VARCHAR(255),
    "campaign_name" VARCHAR(255),
    "tracking_number" VARCHAR(32),
    "caller_number" VARCHAR(32),
    "destination_number" VARCHAR(32),
    "started_at" TIMESTAMPTZ(6),
    "answered_at" TIMESTAMPTZ(6),
    "ended_at" TIMESTAMPTZ(6),
    "duration_seconds" INTEGER,
    "connected_duration_seconds" INTEGER,
    "recording_url" TEXT,
    "converted" BOOLEAN,
    "revenue" DECIMAL(14,4),
    "payout" DECIMAL(14,4),
    "cost" DECIMAL(14,4),
    "tags" JSONB NOT NULL DEFAULT '{}',
    "provider_data" JSONB NOT NULL DEFAULT '{}',
    "last_event_at" TIMESTAMPTZ(6) NOT NULL,
    "last_synced_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "calls_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "call_events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "call_id" UUID NOT NULL,
    "connection_id" UUID NOT NULL,
    "webhook_log_id" UUID,
    "source" VARCHAR(20) NOT NULL,
    "event_type" VARCHAR(100) NOT NULL,
    "occurred_at" TIMESTAMPTZ(6) NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "call_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_logs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "connection_id" UUID,
    "provider" VARCHAR(50) NOT NULL,
    "event_type" VARCHAR(100),
    "event_id" VARCHAR(255),
    "dedup_key" VARCHAR(320),
    "method" VARCHAR(10) NOT NULL,
    "content_type" VARCHAR(255),
    "query" JSONB NOT NULL DEFAULT '{}',
    "headers" JSONB NOT NULL DEFAULT '{}',
    "raw_body" BYTEA,
    "source_ip" VARCHAR(64),
    "verification" VARCHAR(64) NOT NULL,
    "status" "webhook_status" NOT NULL DEFAULT 'received',
    "http_status" SMALLINT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "received_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_logs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_status" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "connection_id" UUID NOT NULL,
    "provider" VARCHAR(50) NOT NULL,
    "kind" VARCHAR(100) NOT NULL DEFAULT 'incremental',
    "state" "sync_state" NOT NULL DEFAULT 'idle',
    "cursor" JSONB,
    "window_start" TIMESTAMPTZ(6),
    "window_end" TIMESTAMPTZ(6),
    "last_sync_at" TIMESTAMPTZ(6),
    "last_successful_sync_at" TIMESTAMPTZ(6),
    "records_synced" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sync_status_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaigns" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "connection_id" UUID NOT NULL,
    "provider" VARCHAR(50) NOT NULL,
    "external_id" VARCHAR(255) NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "provider_data" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaigns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tracking_numbers" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "connection_id" UUID NOT NULL,
    "provider" VARCHAR(50) NOT NULL,
    "external_id" VARCHAR(255) NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "campaign_external_id" VARCHAR(255),
    "is_toll_free" BOOLEAN,
    "provider_data" JSONB NOT NULL DEFAULT '{}',
    "released_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tracking_numbers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" VARCHAR(255) NOT NULL,
    "prefix" VARCHAR(16) NOT NULL,
    "key_hash" VARCHAR(64) NOT NULL,
    "scopes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "last_used_at" TIMESTAMPTZ(6),
    "expires_at" TIMESTAMPTZ(6),
    "revoked_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "provider_connections_provider_type_idx" ON "provider_connections"("provider_type");

-- CreateIndex
CREATE INDEX "calls_provider_external_id_idx" ON "calls"("provider", "external_id");

-- CreateIndex
CREATE INDEX "calls_provider_updated_at_idx" ON "calls"("provider", "updated_at");

-- CreateIndex
CREATE INDEX "calls_connection_id_started_at_idx" ON "calls"("connection_id", "started_at" DESC);

-- CreateIndex
CREATE INDEX "calls_started_at_idx" ON "calls"("started_at" DESC);

-- CreateIndex
CREATE INDEX "calls_campaign_external_id_idx" ON "calls"("campaign_external_id");

-- CreateIndex
CREATE UNIQUE INDEX "calls_connection_id_external_id_key" ON "calls"("connection_id", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "call_events_webhook_log_id_key" ON "call_events"("webhook_log_id");

-- CreateIndex
CREATE INDEX "call_events_call_id_occurred_at_idx" ON "call_events"("call_id", "occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_logs_dedup_key_key" ON "webhook_logs"("dedup_key");

-- CreateIndex
CREATE INDEX "webhook_logs_provider_created_at_idx" ON "webhook_logs"("provider", "created_at");

-- CreateIndex
CREATE INDEX "webhook_logs_status_created_at_idx" ON "webhook_logs"("status", "created_at");

-- CreateIndex
CREATE INDEX "webhook_logs_connection_id_created_at_idx" ON "webhook_logs"("connection_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "sync_status_connection_id_kind_key" ON "sync_status"("connection_id", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "campaigns_connection_id_external_id_key" ON "campaigns"("connection_id", "external_id");

-- CreateIndex
CREATE INDEX "tracking_numbers_number_idx" ON "tracking_numbers"("number");

-- CreateIndex
CREATE UNIQUE INDEX "tracking_numbers_connection_id_external_id_key" ON "tracking_numbers"("connection_id", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- AddForeignKey
ALTER TABLE "calls" ADD CONSTRAINT "calls_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "provider_connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "call_events" ADD CONSTRAINT "call_events_call_id_fkey" FOREIGN KEY ("call_id") REFERENCES "calls"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_logs" ADD CONSTRAINT "webhook_logs_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "provider_connections"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_status" ADD CONSTRAINT "sync_status_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "provider_connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "provider_connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tracking_numbers" ADD CONSTRAINT "tracking_numbers_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "provider_connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

