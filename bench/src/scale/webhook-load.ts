import autocannon from 'autocannon';
import type { WebhookRequest, WebhookTraffic } from './webhook-traffic.js';

/** What the load generator saw in one phase, over every api process. */
export interface LoadOutcome {
  seconds: number;
  sent: number;
  /** 202: stored and queued (or stored and left for the relay) */
  accepted: number;
  /** 200 duplicate: a redelivery recognised */
  duplicates: number;
  rateLimited: number;
  otherStatus: number;
  errors: number;
  /** row ids of the 202 answers */
  acceptedIds: string[];
  /** signed events answered 202 more than once (a redelivery accepted twice: must be 0) */
  eventsAcceptedTwice: number;
  redeliveriesSent: number;
  httpP50Ms: number;
  httpP99Ms: number;
}

export interface LoadPlan {
  apiUrls: readonly string[];
  traffic: WebhookTraffic;
  seconds: number;
  /** HTTP connections in all, split over the api processes */
  connections: number;
  /** requests/s over all api processes; none = as fast as the answers come (closed loop) */
  rate?: number;
  /**
   * Every n-th signed event is delivered a second time, through another api process than the
   * first (0 = none): redelivery detection must hold across processes.
   */
  redeliverEvery?: number;
}

interface Context {
  sentAt?: number;
  eventId?: string;
}

/**
 * Drives the api processes with one autocannon instance each, all fed from one traffic generator,
 * and counts what came back. A redelivery is queued for the next api process in turn, so with two
 * processes the two deliveries of an event always reach different processes.
 */
export async function driveLoad(plan: LoadPlan): Promise<LoadOutcome> {
  const n = plan.apiUrls.length;
  const redeliveries: WebhookRequest[][] = plan.apiUrls.map(() => []);
  const acceptedTimes = new Map<string, number>();
  const latencies: number[] = [];
  const outcome: LoadOutcome = {
    seconds: plan.seconds,
    sent: 0,
    accepted: 0,
    duplicates: 0,
    rateLimited: 0,
    otherStatus: 0,
    errors: 0,
    acceptedIds: [],
    eventsAcceptedTwice: 0,
    redeliveriesSent: 0,
    httpP50Ms: NaN,
    httpP99Ms: NaN,
  };
  let signed = 0;

  const nextFor = (api: number): WebhookRequest => {
    const again = redeliveries[api].shift();
    if (again) {
      outcome.redeliveriesSent++;
      return again;
    }
    const request = plan.traffic.next();
    if (request.eventId && plan.redeliverEvery && ++signed % plan.redeliverEvery === 0) {
      redeliveries[(api + 1) % n].push(request);
    }
    return request;
  };

  const results = await Promise.all(
    plan.apiUrls.map(
      (url, api) =>
        new Promise<autocannon.Result>((resolve, reject) => {
          const instance = autocannon(
            {
              url,
              connections: Math.max(1, Math.round(plan.connections / n)),
              duration: plan.seconds,
              pipelining: 1,
              timeout: 10,
              ...(plan.rate ? { overallRate: Math.max(1, Math.round(plan.rate / n)) } : {}),
              requests: [
                {
                  setupRequest: (request, context: Context) => {
                    const next = nextFor(api);
                    context.sentAt = performance.now();
                    context.eventId = next.eventId;
                    outcome.sent++;
                    return {
                      ...request,
                      method: next.method as autocannon.Request['method'],
                      path: next.path,
                      headers: next.headers,
                      body: next.body,
                    };
                  },
                  onResponse: (status, body, context: Context) => {
                    if (context.sentAt !== undefined) latencies.push(performance.now() - context.sentAt);
                    if (status === 202) {
                      outcome.accepted++;
                      outcome.acceptedIds.push((JSON.parse(body) as { id: string }).id);
                      if (context.eventId) {
                        const times = (acceptedTimes.get(context.eventId) ?? 0) + 1;
                        acceptedTimes.set(context.eventId, times);
                        if (times === 2) outcome.eventsAcceptedTwice++;
                      }
                    } else if (status === 200 && body.includes('"duplicate"')) outcome.duplicates++;
                    else if (status === 429) outcome.rateLimited++;
                    else outcome.otherStatus++;
                  },
                },
              ],
            },
            (error, result) => (error ? reject(error) : resolve(result)),
          );
          instance.on('error', reject);
        }),
    ),
  );
  outcome.errors = results.reduce((sum, r) => sum + r.errors + r.timeouts, 0);
  latencies.sort((a, b) => a - b);
  outcome.httpP50Ms = percentile(latencies, 0.5);
  outcome.httpP99Ms = percentile(latencies, 0.99);
  return outcome;
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1));
}
