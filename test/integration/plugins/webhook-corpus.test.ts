import { checkWebhookCase } from '@switchboard/plugin-sdk/testing';
import { PLUGINS, adapterFor, loadCorpus } from './webhook-corpus.helpers.js';

/**
 * The webhook corpus (test/fixtures/<provider>/webhook-corpus.json): every documented event of
 * each provider, as our template sends it and as the provider's own field names shape it, with the
 * normalized call it must map to (fixtures made by scripts/webhook-corpus.py from one "true" call
 * per provider and the fields each payload carries, never from the mapper's output).
 */
describe.each(Object.keys(PLUGINS) as Array<keyof typeof PLUGINS>)('%s webhook corpus', (provider) => {
  const corpus = loadCorpus(provider);

  it('covers every documented event in template and native shape', () => {
    const events = new Set(corpus.cases.map((c) => c.event));
    for (const shape of ['template', 'native']) {
      expect(new Set(corpus.cases.filter((c) => c.shape === shape).map((c) => c.event))).toEqual(events);
    }
    const triggers = adapterFor(provider)
      .webhookTemplates({ url: 'https://sb.example.com/w', secret: 's' })
      .map((t) => t.trigger);
    for (const trigger of triggers) expect(events).toContain(trigger);
  });

  it.each(corpus.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    checkWebhookCase(adapterFor(provider, c.settings), c);
  });
});
