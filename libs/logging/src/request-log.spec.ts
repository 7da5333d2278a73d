import { Writable } from 'node:stream';
import pino from 'pino';
import {
  isSecretHeader,
  isSecretQueryParam,
  redactSecretsInText,
  redactUrl,
  registerSecretNames,
} from './redaction.js';
import { registerRequestLog, type LoggedReply, type LoggedRequest } from './request-log.js';

describe('custom token names', () => {
  it('redacts a renamed token query parameter or header once registered, and secret-looking names always', () => {
    expect(redactUrl('/webhooks/x/y?zz=v1&call=1')).toContain('zz=v1');
    registerSecretNames({ queryParam: 'zz', header: 'X-Zz' });
    expect(redactUrl('/webhooks/x/y?zz=v1&call=1')).not.toContain('v1');
    expect(isSecretHeader('x-zz')).toBe(true);
    for (const name of ['tk_token', 'x-acme-auth', 'sig', 'access-key', 'pwd']) {
      expect(isSecretQueryParam(name) && isSecretHeader(name)).toBe(true);
    }
    expect(isSecretQueryParam('call_id')).toBe(false);
  });

  it('scrubs credentials out of free text (provider answers echoed in errors)', () => {
    const text =
      'ringba answered 400: {"url":"/x?api_key=abc123&x=1","headers":{"authorization":"Token tok-999","x-api-key":"k-777"}} Basic dXNlcjpwYXNz';
    const out = redactSecretsInText(text);
    for (const secret of ['abc123', 'tok-999', 'k-777', 'dXNlcjpwYXNz']) expect(out).not.toContain(secret);
    expect(out).toContain('x=1');
  });
});

describe('registerRequestLog', () => {
  it('writes one line per request with route, status, duration and caller', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    let hook: ((request: LoggedRequest, reply: LoggedReply) => unknown) | undefined;
    registerRequestLog({ addHook: (_name, h) => (hook = h) }, pino({ level: 'info' }, sink), {
      enabled: true,
    });
    hook?.(
      {
        id: 'r1',
        method: 'GET',
        url: '/calls?token=s3',
        routeOptions: { url: '/calls' },
        principal: { kind: 'api-key', keyId: 'k1' },
      },
      { statusCode: 200, elapsedTime: 1.234 },
    );
    hook?.({ id: 'r2', method: 'GET', url: '/health/ready' }, { statusCode: 200, elapsedTime: 1 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      msg: 'request completed',
      requestId: 'r1',
      route: '/calls',
      statusCode: 200,
      durationMs: 1.23,
      caller: 'api-key',
      keyId: 'k1',
    });
    expect(lines[0]).not.toContain('s3');
  });

  it('logs 5xx at error, but a 503 (a dependency is down, logged once on its own) at warn', () => {
    const levels: number[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _e, done) {
        levels.push((JSON.parse(chunk.toString()) as { level: number }).level);
        done();
      },
    });
    let hook: ((request: LoggedRequest, reply: LoggedReply) => unknown) | undefined;
    registerRequestLog({ addHook: (_name, h) => (hook = h) }, pino({ level: 'info' }, sink), {
      enabled: true,
    });
    for (const statusCode of [200, 404, 500, 502, 503])
      hook?.({ id: `r${statusCode}`, method: 'GET', url: '/calls' }, { statusCode, elapsedTime: 1 });
    const { info, warn, error } = pino.levels.values;
    expect(levels).toEqual([info, warn, error, error, warn]);
  });
});
