import { RingbaPlugin } from './ringba.plugin.js';

export { RingbaPlugin, RINGBA_RATE_LIMITS } from './ringba.plugin.js';
export { RingbaAdapter, type RingbaSettings } from './ringba.adapter.js';
export { RingbaCredentials, RINGBA_SECRET_CREDENTIAL_FIELDS } from './ringba.credentials.js';
export {
  RINGBA_CALL_LOG_COLUMNS,
  RINGBA_DEFAULT_API_BASE_URL,
  RINGBA_MAX_PAGE_SIZE,
  RINGBA_PROVIDER,
} from './ringba.constants.js';
export {
  PIXEL_TOKENS,
  RINGBA_TRIGGERS,
  RINGBA_TRIGGER_SPECS,
  type PixelField,
  type PixelMethod,
  type RingbaTrigger,
} from './ringba.pixels.js';
export { deriveRingbaStatus, type RingbaOutcome } from './ringba.status.js';

export default RingbaPlugin;
