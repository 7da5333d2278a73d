import { Injectable } from '@nestjs/common';

/** A run stopped because its worker is shutting down: it resumes elsewhere, it did not fail. */
export class SyncInterrupted extends Error {
  constructor() {
    super('the worker is shutting down; the run resumes after its last finished chunk');
  }
}

/**
 * Whether this worker is shutting down (SIGTERM). Syncs check it between pages, so a deploy does
 * not wait for a backfill of months to finish: the run stops after its current page and BullMQ
 * hands it to another worker, which resumes after the last finished chunk.
 */
@Injectable()
export class SyncShutdown {
  private stopping = false;

  get requested(): boolean {
    return this.stopping;
  }

  request(): void {
    this.stopping = true;
  }
}
