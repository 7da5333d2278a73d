import type { WebhookTemplate } from '@switchboard/plugin-sdk';
import type { SimCallRecord } from './ringba-world.js';

/** Ringba token syntax: `[Call:Name]` or `[tag:Type:Name]` (R3). Brackets of IPv6 hosts do not match. */
const TOKEN = /\[(?:Call|tag):[^\]]+\]/g;

function text(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return String(value);
}

function messageTag(call: SimCallRecord, type: string, name: string): string | undefined {
  const tags = (call['message-tags'] ?? []) as Array<Record<string, unknown>>;
  return text(tags.find((t) => t.type === type && t.name === name)?.value);
}

/** What each token reads for a call in its current state (undefined: Ringba renders it empty). */
export function tokenValues(call: SimCallRecord): Record<string, string | undefined> {
  const caller = text(call.inboundPhoneNumber);
  const ended = call.isLive === false;
  return {
    '[Call:InboundCallId]': call.inboundCallId,
    '[tag:InboundNumber:Number]': caller,
    '[tag:InboundNumber:Number-NoPlus]': caller?.replace(/^\+/, ''),
    '[tag:InboundNumber:State]': messageTag(call, 'InboundNumber', 'State'),
    '[tag:Geo:ZipCode]': messageTag(call, 'Geo', 'ZipCode'),
    '[tag:CallInfo:IsDuplicate]': text(call.isDuplicate),
    '[tag:DialedNumber:Number]': text(call.number),
    '[tag:Campaign:Id]': text(call.campaignId),
    '[tag:Campaign:Name]': text(call.campaignName),
    '[tag:Publisher:Id]': text(call.publisherId),
    '[tag:Publisher:Name]': text(call.publisherName),
    '[tag:Publisher:SubId]': text(call.publisherSubId),
    '[tag:Target:Id]': text(call.targetId),
    '[tag:Target:Name]': text(call.targetName),
    '[tag:Target:Number]': text(call.targetNumber),
    '[tag:Buyer:Name]': text(call.buyer),
    '[Call:ConversionAmount]': call.hasConverted ? Number(call.conversionAmount).toFixed(2) : undefined,
    '[Call:ConversionPayout]': call.hasPayout ? Number(call.payoutAmount).toFixed(2) : undefined,
    '[tag:CallLength:Total]': ended ? text(call.callLengthInSeconds) : undefined,
    '[tag:EndCall:EndCallSource]': ended ? text(call.endCallSource) : undefined,
    '[tag:Recording:RecordingUrl]': call.hasRecording ? text(call.recordingUrl) : undefined,
  };
}

export interface RenderedPixel {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Fills a template the way Ringba fires a pixel: tokens in the URL are replaced by their
 * URL-encoded values [I: Ringba's encoding of token values is not documented], tokens in a JSON
 * body by JSON-escaped text; a token with no value becomes empty. Tokens listed in `keep` stay
 * as they are, as Ringba does with a tag it does not have.
 */
export function renderPixel(
  template: WebhookTemplate,
  call: SimCallRecord,
  keep: ReadonlySet<string> = new Set(),
): RenderedPixel {
  const values = tokenValues(call);
  const fill = (source: string, escape: (value: string) => string) =>
    source.replace(TOKEN, (token) => (keep.has(token) ? token : escape(values[token] ?? '')));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(template.headers ?? {})) headers[name] = fill(value, (v) => v);
  return {
    method: template.method,
    url: fill(template.url, encodeURIComponent),
    headers,
    body:
      template.body === undefined ? undefined : fill(template.body, (v) => JSON.stringify(v).slice(1, -1)),
  };
}
