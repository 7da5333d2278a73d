import { ProviderError, normalizeKey, type InboundWebhook } from '@switchboard/plugin-sdk';
import { PIXEL_FIELD_NAMES, mapPixel } from './ringba.pixel-mapper.js';
import {
  PIXEL_TOKENS,
  RINGBA_DOCUMENTED_TOKENS,
  RINGBA_TRIGGERS,
  RINGBA_TRIGGER_SPECS,
  buildPixelTemplates,
} from './ringba.pixels.js';

const config = {
  url: 'https://sb.example.com/webhooks/ringba/00000000-0000-4000-8000-000000000001',
  secret: 's3cr&t=+/',
};
const KNOWN_TOKENS = new Set<string>(Object.values(PIXEL_TOKENS));

/** Replaces every Ringba token with a value, the way Ringba fires the pixel. */
function fire(text: string, value: (token: string) => string, escape: (v: string) => string): string {
  return text.replace(/\[(?:Call|tag):[^\]]+\]/g, (token) => escape(value(token)));
}

const SAMPLE: Record<string, string> = {
  [PIXEL_TOKENS.call_id]: 'RGB0A1B2C3D4E5F60718293A4B5C6D',
  [PIXEL_TOKENS.caller]: '12135550142',
  [PIXEL_TOKENS.number]: '+18005550199',
  [PIXEL_TOKENS.campaign_id]: 'CA11112222333344445555666677778888',
  [PIXEL_TOKENS.campaign_name]: 'Auto & Home "Quotes"',
  [PIXEL_TOKENS.target_number]: '+13105550100',
  [PIXEL_TOKENS.revenue]: '42.50',
  [PIXEL_TOKENS.payout]: '20.00',
  [PIXEL_TOKENS.recording_url]: 'https://media.ringba.com/r?v=1&k=abc',
};

function inbound(method: string, url: string, body?: string): InboundWebhook {
  const parsed = new URL(url);
  const query: Record<string, string> = {};
  for (const [key, value] of parsed.searchParams) if (key !== 'token') query[key] = value;
  return {
    method,
    headers: {},
    query,
    rawBody: Buffer.from(body ?? ''),
    body: body ? JSON.parse(body) : undefined,
    receivedAt: new Date('2025-06-01T12:00:00Z'),
  };
}

describe('buildPixelTemplates', () => {
  const templates = buildPixelTemplates(config);

  it('gives one GET pixel per "Fire Pixel On" option, in lifecycle order', () => {
    expect(templates.map((t) => t.trigger)).toEqual([...RINGBA_TRIGGERS]);
    expect(templates.map((t) => t.providerTrigger)).toEqual([
      'Fire Pixel On: Incoming',
      'Fire Pixel On: Connected',
      'Fire Pixel On: Converted',
      'Fire Pixel On: Payout',
      'Fire Pixel On: Completed',
      'Fire Pixel On: Finalized',
      'Fire Pixel On: Recording',
      'Fire Pixel On: Error',
    ]);
    for (const t of templates) {
      expect(t.method).toBe('GET');
      expect(t.body).toBeUndefined();
      expect(t.notes).toBeTruthy();
    }
  });

  it('puts the encoded secret in ?token= and the trigger in &event=', () => {
    for (const t of templates) {
      expect(
        t.url.startsWith(`${config.url}?token=${encodeURIComponent(config.secret)}&event=${t.trigger}&`),
      ).toBe(true);
      expect(new URL(t.url).searchParams.get('token')).toBe(config.secret);
    }
  });

  it('carries each trigger field once, with the literal Ringba token', () => {
    for (const t of templates) {
      const query = t.url.slice(t.url.indexOf('?') + 1).split('&');
      const fields = query.slice(2).map((pair) => pair.split('='));
      expect(fields.map(([key]) => key)).toEqual([...RINGBA_TRIGGER_SPECS[t.trigger as 'incoming'].fields]);
      for (const [key, token] of fields) expect(token).toBe(PIXEL_TOKENS[key as keyof typeof PIXEL_TOKENS]);
      expect(fields.every(([, token]) => KNOWN_TOKENS.has(token))).toBe(true);
    }
  });

  it('adds to a URL that already has a query string', () => {
    const [t] = buildPixelTemplates({ ...config, url: `${config.url}?region=us`, triggers: ['incoming'] });
    expect(t.url.startsWith(`${config.url}?region=us&token=`)).toBe(true);
  });

  it('chooses triggers by our names or generic aliases, and refuses unknown ones', () => {
    const chosen = buildPixelTemplates({
      ...config,
      triggers: ['recording', 'answered', 'started', 'ended'],
    });
    expect(chosen.map((t) => t.trigger)).toEqual(['incoming', 'connected', 'finalized', 'recording']);
    expect(() => buildPixelTemplates({ ...config, triggers: ['bridged'] })).toThrow(ProviderError);
    expect(() => buildPixelTemplates({ ...config, triggers: ['bridged'] })).toThrow(
      /no pixel trigger "bridged"/,
    );
  });

  it('POST pixels carry a JSON body template whose fired form is valid JSON', () => {
    for (const t of buildPixelTemplates(config, 'POST')) {
      expect(t.method).toBe('POST');
      expect(t.contentType).toBe('application/json');
      expect(t.headers).toEqual({ 'Content-Type': 'application/json' });
      expect(t.url).toBe(`${config.url}?token=${encodeURIComponent(config.secret)}&event=${t.trigger}`);
      const fired = JSON.parse(
        fire(
          t.body!,
          (token) => SAMPLE[token] ?? '',
          (v) => JSON.stringify(v).slice(1, -1),
        ),
      );
      expect(Object.keys(fired)).toEqual([...RINGBA_TRIGGER_SPECS[t.trigger as 'incoming'].fields]);
      expect(fired.call_id).toBe(SAMPLE[PIXEL_TOKENS.call_id]);
    }
  });

  it.each(['GET', 'POST'] as const)('%s pixels, once fired, map back to the call', (method) => {
    for (const t of buildPixelTemplates(config, method)) {
      const url = fire(t.url, (token) => SAMPLE[token] ?? '', encodeURIComponent);
      const body =
        t.body &&
        fire(
          t.body,
          (token) => SAMPLE[token] ?? '',
          (v) => JSON.stringify(v).slice(1, -1),
        );
      const event = mapPixel(inbound(t.method, url, body));
      expect(event.eventId).toBe(`RGB0A1B2C3D4E5F60718293A4B5C6D:${t.trigger}`);
      expect(event.call.callerNumber).toBe('+12135550142');
      expect(event.call.trackingNumber).toBe('+18005550199');
      expect(event.call.campaignName).toBe('Auto & Home "Quotes"');
      if (t.trigger === 'converted') expect(event.call.revenue).toBe('42.5000');
      if (t.trigger === 'payout') expect(event.call.payout).toBe('20.0000');
      if (t.trigger === 'recording')
        expect(event.call.recordingUrl).toBe('https://media.ringba.com/r?v=1&k=abc');
      expect(event.warnings).toBeUndefined();
    }
  });

  it('uses only tokens Ringba documents, and the mapper reads every parameter the templates send', () => {
    for (const method of ['GET', 'POST'] as const) {
      for (const t of buildPixelTemplates(config, method)) {
        const text = `${t.url} ${t.body ?? ''}`;
        for (const token of text.match(/\[[^\]]+\]/g) ?? [])
          expect(RINGBA_DOCUMENTED_TOKENS).toContain(token);
      }
    }
    const known = new Set(Object.values(PIXEL_FIELD_NAMES).flat().map(normalizeKey));
    for (const key of Object.keys(PIXEL_TOKENS)) expect(known).toContain(normalizeKey(key));
  });
});
