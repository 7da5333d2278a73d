import {
  MappingError,
  type InboundWebhook,
  type NormalizedCallEvent,
  type ProviderConnection,
  type ProviderContext,
  type SettingsProblem,
  type WebhookConfig,
  type WebhookDescription,
  type WebhookReceiver,
  type WebhookTemplate,
} from '@switchboard/plugin-sdk';
import { GENERIC_WEBHOOK } from './generic-webhook.constants.js';
import type { GenericWebhookCredentials } from './generic-webhook.credentials.js';
import { buildWebhookTemplates, templateVerification } from './generic-webhook.templates.js';
import { compileMapping, type WebhookMapping } from './mapping/mapping-settings.js';
import { GenericWebhookMapper } from './mapping/webhook-mapper.js';

/**
 * One connection of a system that can send HTTP requests. It receives webhooks and nothing else:
 * there is no API to sync from, look calls up in or push conversions to, so the adapter has only
 * the connection and webhook capabilities. Its behaviour is the connection's `settings.mapping`,
 * compiled once here.
 */
export class GenericWebhookAdapter implements ProviderConnection, WebhookReceiver {
  private readonly mapping?: WebhookMapping;
  private readonly mapper?: GenericWebhookMapper;
  private readonly problems: SettingsProblem[];

  constructor(private readonly ctx: ProviderContext<GenericWebhookCredentials>) {
    const { mapping, problems } = compileMapping(ctx.settings);
    this.problems = problems;
    this.mapping = mapping;
    const timeZone = ctx.settings.timeZone;
    if (mapping)
      this.mapper = new GenericWebhookMapper(mapping, typeof timeZone === 'string' ? timeZone : undefined);
  }

  /** Nothing to check: the sender has no API and the connection no credentials. */
  async authenticate(): Promise<void> {}

  webhookTemplates(config: WebhookConfig): WebhookTemplate[] {
    return buildWebhookTemplates(config, this.mapping, templateVerification(this.ctx.settings));
  }

  describeWebhook(request: InboundWebhook): WebhookDescription {
    return this.usableMapper().describe(request);
  }

  mapWebhook(request: InboundWebhook): NormalizedCallEvent {
    return this.usableMapper().map(request);
  }

  /**
   * The API refuses a bad mapping, so this only fires for settings written around it (an older
   * row, the database by hand): every webhook then fails mapping with the reason, none is guessed.
   */
  private usableMapper(): GenericWebhookMapper {
    if (this.mapper) return this.mapper;
    const [first] = this.problems;
    throw new MappingError(
      GENERIC_WEBHOOK,
      `the connection's mapping is not usable: ${first.field} ${first.message}`,
      first.field,
    );
  }
}
