/**
 * @switchboard/plugin-retreaver — Retreaver call tracking for Switchboard. The default export is
 * the plugin module the platform discovers (package.json "switchboard.plugin.export").
 */
import { RetreaverPlugin } from './retreaver.plugin.js';

export default RetreaverPlugin;
export { RetreaverPlugin };
export { RetreaverAdapter, rfc3339 } from './retreaver.adapter.js';
export { RetreaverCredentials, SECRET_CREDENTIAL_FIELDS } from './retreaver.credentials.js';
export { DEFAULT_API_BASE_URL, PATHS, PROVIDER, MAX_PAGE_SIZE } from './retreaver.constants.js';
export { encodeCursor, decodeCursor } from './retreaver.cursor.js';
export { parseLinkHeader } from './link-header.js';
export { mapCallRecord, mapCampaign, mapNumber } from './retreaver.mapper.js';
export { deriveStatus } from './retreaver.status.js';
export { RETREAVER_TRIGGERS, buildWebhookTemplates, webhookParams } from './retreaver.webhooks.js';
