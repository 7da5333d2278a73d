import { compileMapping } from './mapping/mapping-settings.js';
import { buildWebhookTemplates, templateVerification } from './generic-webhook.templates.js';

const URL_ = 'https://sb.example.com/webhooks/generic-webhook/00000000-0000-4000-8000-000000000001';
const SECRET = 'whsec_c2VjcmV0K3dpdGgvc2xhc2g9';

const mapping = compileMapping({
  mapping: {
    fields: {
      externalId: [
        { from: 'body', path: '$.call.id' },
        { from: 'form', name: 'call_id' },
        { from: 'query', name: 'cid' },
      ],
      callerNumber: [
        { from: 'body', path: '$.call.legs[0].from' },
        { from: 'query', name: 'caller' },
      ],
      revenue: { from: 'body', path: "$['money amount']" },
      eventId: { from: 'header', name: 'x-delivery-id' },
    },
  },
}).mapping;

describe('webhook templates', () => {
  it('offers one template per request shape the mapping reads, each carrying the token', () => {
    const templates = buildWebhookTemplates({ url: URL_, secret: SECRET }, mapping, templateVerification({}));
    expect(templates.map((t) => [t.trigger, t.method])).toEqual([
      ['json', 'POST'],
      ['form', 'POST'],
      ['query', 'GET'],
    ]);
    const tokenInUrl = `token=${encodeURIComponent(SECRET)}`;
    for (const t of templates) {
      expect(t.url.startsWith(`${URL_}?${tokenInUrl}`)).toBe(true);
      expect(t.notes).toContain('x-switchboard-token');
    }
    const [json, form, query] = templates;
    expect(JSON.parse(json.body ?? '')).toEqual({
      call: { id: '{{externalId}}', legs: [{ from: '{{callerNumber}}' }] },
      'money amount': '{{revenue}}',
    });
    expect(json.notes).toContain('x-delivery-id (eventId)');
    expect(form.body).toBe('call_id={{externalId}}');
    expect(query.url).toBe(`${URL_}?${tokenInUrl}&cid={{externalId}}&caller={{callerNumber}}`);
  });

  it('with HMAC: Standard Webhooks headers, no secret anywhere, no unsignable GET', () => {
    const templates = buildWebhookTemplates(
      { url: URL_, secret: SECRET },
      mapping,
      templateVerification({ webhook: { scheme: 'hmac' } }),
    );
    expect(templates.map((t) => t.trigger)).toEqual(['json', 'form']);
    for (const t of templates) {
      expect(JSON.stringify(t)).not.toContain(SECRET);
      expect(t.url).toBe(URL_);
      expect(Object.keys(t.headers ?? {})).toEqual(
        expect.arrayContaining(['webhook-id', 'webhook-timestamp', 'webhook-signature']),
      );
    }
  });

  it("uses the connection's own token parameter, and a JSON template when there is no mapping yet", () => {
    const [only, ...rest] = buildWebhookTemplates(
      { url: URL_, secret: 's3cret' },
      undefined,
      templateVerification({ webhook: { tokenQueryParam: 'key', tokenHeader: 'x-key' } }),
    );
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ trigger: 'json', url: `${URL_}?key=s3cret`, body: '{}' });
    expect(only.notes).toContain('"x-key" header');
  });
});
