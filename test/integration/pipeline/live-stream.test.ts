import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import { ALL_QUEUES } from '@switchboard/queue';
import { ADMIN_TOKEN, PipelineHarness, waitFor, type TestConnection } from './pipeline-harness.js';

interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
}

/** A minimal EventSource: collects events, remembers the last id, can be closed. */
function sse(base: string, path: string, headers: Record<string, string> = {}) {
  const events: SseEvent[] = [];
  let status = 0;
  let ended = false;
  let buffer = '';
  const request = http.get(
    `${base}${path}`,
    { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers } },
    (res) => {
      status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event: SseEvent = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':') || line.startsWith('retry:')) continue;
            const colon = line.indexOf(':');
            const key = line.slice(0, colon) as keyof SseEvent;
            event[key] = line.slice(colon + 1).trimStart();
          }
          if (Object.keys(event).length > 0) events.push(event);
        }
      });
      res.on('end', () => (ended = true));
    },
  );
  request.on('error', () => (ended = true));
  return {
    events,
    calls: () =>
      events.filter((e) => e.data && e.event?.startsWith('call.')).map((e) => JSON.parse(e.data as string)),
    lastId: () => [...events].reverse().find((e) => e.id)?.id,
    status: () => status,
    ended: () => ended,
    close: () => request.destroy(),
  };
}

describe('live call stream (SSE through Redis Streams, two API processes)', () => {
  let h: PipelineHarness;
  let apiA: NestFastifyApplication;
  let apiB: NestFastifyApplication;
  let baseA: string;
  let baseB: string;
  let ringba: TestConnection;
  let retreaver: TestConnection;
  let day = 0;

  const listen = async (app: NestFastifyApplication) => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  };
  const processCalls = async (connection: TestConnection, count: number) => {
    day++;
    const { calls, webhooks } = await h.lifecycle(
      connection,
      count,
      Date.parse('2026-11-01T10:00:00.000Z') + day * 86_400_000,
    );
    await h.accept(connection, webhooks);
    await h.drained();
    return calls;
  };

  beforeAll(async () => {
    h = await PipelineHarness.start();
    apiA = await h.startApi();
    apiB = await h.startApi();
    baseA = await listen(apiA);
    baseB = await listen(apiB);
    ringba = await h.createConnection('ringba');
    retreaver = await h.createConnection('retreaver');
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  it('needs the read scope and refuses a malformed Last-Event-ID', async () => {
    const anonymous = sse(baseA, '/calls/stream', { authorization: '' });
    await waitFor(() => anonymous.status() !== 0);
    expect(anonymous.status()).toBe(401);
    const bad = sse(baseA, '/calls/stream', { 'last-event-id': 'yesterday' });
    await waitFor(() => bad.status() !== 0);
    expect(bad.status()).toBe(400);
  });

  it('streams stored call changes to clients of every API process, filtered per client', async () => {
    const everything = sse(baseB, '/calls/stream');
    const onlyRetreaver = sse(baseA, `/calls/stream?provider=retreaver&connection=${retreaver.id}`);
    const completedOnly = sse(baseA, '/calls/stream?status=completed&provider=ringba');
    await waitFor(
      () => everything.status() === 200 && onlyRetreaver.status() === 200 && completedOnly.status() === 200,
    );
    await new Promise((resolve) => setTimeout(resolve, 100)); // readers attached

    const retreaverCalls = await processCalls(retreaver, 2);
    const ringbaCalls = await processCalls(ringba, 1);
    await waitFor(() =>
      everything
        .calls()
        .some((e) => e.call.externalId === ringbaCalls[0].externalId && e.call.status === 'completed'),
    );

    const ids = (events: Array<{ call: { externalId: string } }>) =>
      new Set(events.map((e) => e.call.externalId));
    expect(ids(everything.calls())).toEqual(
      new Set([...retreaverCalls, ...ringbaCalls].map((c) => c.externalId)),
    );
    await waitFor(() => ids(onlyRetreaver.calls()).size === 2);
    expect(onlyRetreaver.calls().every((e) => e.call.provider === 'retreaver')).toBe(true);
    expect(
      completedOnly.calls().every((e) => e.call.status === 'completed' && e.call.provider === 'ringba'),
    ).toBe(true);
    expect(completedOnly.calls().length).toBeGreaterThan(0);
    // Each message is the stored call (version, money as strings) and which events changed it.
    const last = everything.calls().at(-1);
    expect(last).toMatchObject({ type: expect.stringMatching(/^call\./), eventTypes: expect.any(Array) });
    expect(last.call).toMatchObject({ id: expect.any(String), version: expect.any(Number) });
    for (const client of [everything, onlyRetreaver, completedOnly]) client.close();
  });

  it('gives a client that reconnects with Last-Event-ID exactly what it missed, then live events', async () => {
    const first = sse(baseA, `/calls/stream?connection=${ringba.id}`);
    await waitFor(() => first.status() === 200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await processCalls(ringba, 1);
    await waitFor(() => first.calls().length > 0);
    const resumeFrom = first.lastId() as string;
    const seenBefore = first.events.filter((e) => e.id).map((e) => e.id);
    first.close();

    const missed = await processCalls(ringba, 2); // while disconnected
    const second = sse(baseB, `/calls/stream?connection=${ringba.id}`, { 'last-event-id': resumeFrom });
    await waitFor(() => new Set(second.calls().map((e) => e.call.externalId)).size === 2);
    const replayedIds = second.events.filter((e) => e.id).map((e) => e.id as string);
    expect(replayedIds.some((id) => seenBefore.includes(id))).toBe(false);
    expect([...replayedIds].sort()).toEqual(replayedIds); // in order
    expect(new Set(second.calls().map((e) => e.call.externalId))).toEqual(
      new Set(missed.map((c) => c.externalId)),
    );

    const live = await processCalls(ringba, 1); // and it keeps streaming
    await waitFor(() => second.calls().some((e) => e.call.externalId === live[0].externalId));
    expect(new Set(second.events.filter((e) => e.id).map((e) => e.id)).size).toBe(
      second.events.filter((e) => e.id).length,
    );
    second.close();
  });

  it('tells a client whose Last-Event-ID fell out of the window that it may have missed events', async () => {
    const client = sse(baseA, '/calls/stream', { 'last-event-id': '1-0' });
    await waitFor(() => client.events.some((e) => e.event === 'stream.gap'));
    await waitFor(() => client.calls().length > 0); // and still gets what the window holds
    client.close();
  });

  it('ends open streams when the API process shuts down', async () => {
    const apiC = await h.startApi();
    const baseC = await listen(apiC);
    // Let its queue connections finish connecting first: closing a connection that is still
    // being set up makes BullMQ report "Stream isn't writeable" (not what this test is about).
    await Promise.all(ALL_QUEUES.map((name) => apiC.get<Queue>(getQueueToken(name)).waitUntilReady()));
    const client = sse(baseC, '/calls/stream');
    await waitFor(() => client.status() === 200);
    await apiC.close();
    h.apis.splice(h.apis.indexOf(apiC), 1);
    await waitFor(() => client.ended());
  });
});
