import { GenericWebhookPlugin } from './generic-webhook.plugin.js';

export { GenericWebhookPlugin };
export { GenericWebhookAdapter } from './generic-webhook.adapter.js';
export {
  GenericWebhookCredentials,
  GENERIC_WEBHOOK_SECRET_CREDENTIAL_FIELDS,
} from './generic-webhook.credentials.js';
export { GENERIC_WEBHOOK, TOKEN_HEADER, TOKEN_QUERY_PARAM } from './generic-webhook.constants.js';
export {
  CALL_FIELDS,
  EVENT_FIELDS,
  MAPPED_FIELDS,
  PARTY_TAG_FIELDS,
  compileMapping,
  mappingProblems,
  type MappedField,
  type MappingSettings,
  type SourceSetting,
  type WebhookMapping,
} from './mapping/mapping-settings.js';
export { MONEY_FORMATS, type MoneyFormat } from './mapping/money-formats.js';
export { DATE_ORDERS, TIME_FORMATS, type DateOrder, type TimeFormat } from './mapping/time-formats.js';
export { GenericWebhookMapper } from './mapping/webhook-mapper.js';

export default GenericWebhookPlugin;
