-- AlterTable
ALTER TABLE "calls" ADD COLUMN     "field_times" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

