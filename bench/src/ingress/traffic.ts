import { randomUUID } from 'node:crypto';
import { signStandardWebhook } from '@switchboard/core';

/** One provider connection the bench sends to, as both servers know it. */
export interface BenchConnection {
  id: string;
  provider: 'trackdrive' | 'ringba';
  /** trackdrive: Standard Webhooks HMAC over a JSON POST; ringba: shared token in a GET pixel's query. */
  scheme: 'hmac' | 'token';
  secret: string;
}

/** The Redis list the `lpush` baseline pushes its jobs to (run.ts counts and empties it). */
export function baselineListKey(prefix: string): string {
  return `${prefix}:webhooks:lpush`;
}

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * The request mix, identical for the api and the baseline: half signed JSON POSTs (TrackDrive call
 * events through a signing relay), half tokened GET pixels (Ringba). Every request carries a new
 * call id, so none is a duplicate.
 */
export function nextRequest(connections: readonly BenchConnection[], n: number): BenchRequest {
  const c = connections[n % connections.length];
  const callId = randomUUID();
  if (c.scheme === 'hmac') {
    const body = JSON.stringify({
      uuid: callId,
      status: 'finished',
      caller_number: '+15555550100',
      number_called: '+18005550199',
      total_duration: 42,
      revenue: '12.50',
      offer: 'Bench offer',
    });
    const msgId = `msg_${callId}`;
    const at = Math.floor(Date.now() / 1000);
    return {
      method: 'POST',
      path: `/webhooks/${c.provider}/${c.id}?event=completed`,
      headers: {
        'content-type': 'application/json',
        'webhook-id': msgId,
        'webhook-timestamp': String(at),
        'webhook-signature': signStandardWebhook(c.secret, msgId, at, body),
      },
      body,
    };
  }
  const query = new URLSearchParams({
    token: c.secret,
    event: 'completed',
    call_id: callId,
    caller: '15555550101',
    number: '18005550198',
    campaign_id: 'CA0001',
    duration: '42',
  });
  return { method: 'GET', path: `/webhooks/${c.provider}/${c.id}?${query}`, headers: {} };
}
