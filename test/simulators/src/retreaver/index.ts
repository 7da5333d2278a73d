export {
  createRetreaverSimulator,
  DEFAULT_ANCHOR,
  type RetreaverSimulator,
  type RetreaverSimulatorOptions,
  type RequestLogEntry,
} from './retreaver-simulator.js';
export type {
  RetreaverCallRecord,
  RetreaverCampaignRecord,
  RetreaverNumberRecord,
} from './retreaver-history.js';
export { renderTemplate, templatesFor, type SentWebhook } from './retreaver-webhook-sender.js';
