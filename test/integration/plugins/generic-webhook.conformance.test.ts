import * as fs from 'node:fs';
import { parseWebhookBody, type InboundWebhook } from '@switchboard/core';
import GenericWebhookPlugin from '@switchboard/plugin-generic-webhook';
import {
  conformanceRules,
  runProviderConformance,
  type ConformanceOptions,
  type WebhookCorpus,
} from '@switchboard/plugin-sdk/testing';
import {
  GENERIC_SENDER_MAPPING,
  genericSenderCall,
  genericSenderRequest,
  type GenericSenderShape,
  type GenericSenderStep,
} from '../../simulators/src/generic-webhook/generic-sender.js';
import { createTestProviderContext } from '../../support/provider-context.js';

const PROVIDER = 'generic-webhook';
const SETTINGS = { mapping: GENERIC_SENDER_MAPPING };

/** One call of the stand-in dialer, its three steps in the three shapes it can send. */
async function lifecycle(): Promise<InboundWebhook[]> {
  const call = genericSenderCall(3, new Date('2026-05-01T12:00:00.000Z'));
  const steps: Array<[GenericSenderStep, GenericSenderShape]> = [
    ['ring', 'json'],
    ['answer', 'form'],
    ['hangup', 'query'],
  ];
  return steps.map(([step, shape]) => {
    const sent = genericSenderRequest(call, step, shape);
    const rawBody = Buffer.from(sent.body ?? '');
    return {
      method: sent.method,
      headers: sent.contentType ? { 'content-type': sent.contentType } : {},
      query: sent.query,
      contentType: sent.contentType,
      rawBody,
      body: parseWebhookBody(rawBody, sent.contentType),
      receivedAt: new Date(),
    };
  });
}

// A generic sender has no API and the connection no credentials: no bad credentials to refuse, no
// history window to page; the kit runs the manifest, credential and webhook rules.
const OPTIONS: ConformanceOptions<Record<string, never>> = {
  plugin: GenericWebhookPlugin,
  context: (credentials) =>
    createTestProviderContext({ provider: PROVIDER, credentials, settings: SETTINGS }),
  credentials: () => ({}),
  sampleWebhooks: lifecycle,
  webhookCorpus: () =>
    JSON.parse(
      fs.readFileSync(new URL('../../fixtures/generic-webhook/webhook-corpus.json', import.meta.url), 'utf8'),
    ) as WebhookCorpus,
};

runProviderConformance(OPTIONS);

it('the kit applies exactly the rules of a credential-less webhook receiver', () => {
  expect(conformanceRules(OPTIONS).map((r) => r.id)).toEqual([
    'manifest.valid',
    'manifest.secret-fields',
    'credentials.accepted',
    'webhook.templates',
    'webhook.expected-call',
    'webhook.describe-agrees',
    'webhook.lifecycle',
    'webhook.verify',
  ]);
});
