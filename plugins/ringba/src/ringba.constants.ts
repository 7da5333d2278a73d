/** Plugin type id, used in URLs, storage and error messages. */
export const RINGBA_PROVIDER = 'ringba';

/** Ringba's public API (R1: `https://api.ringba.com/v2`, paths `/{accountId}/...`). */
export const RINGBA_DEFAULT_API_BASE_URL = 'https://api.ringba.com/v2';

/** Documented maximum `size` of one call-log report page (R1). */
export const RINGBA_MAX_PAGE_SIZE = 1000;

/** Page size when the caller gives no hint (matches the manifest's sync batch size). */
export const RINGBA_DEFAULT_PAGE_SIZE = 100;

/**
 * Call-log columns the adapter asks for explicitly. Ringba returns "all available columns" when
 * `valueColumns` is omitted (R1), but the optional columns (buyer, isIncomplete, reasons...) are not
 * guaranteed to be among the defaults [I], so the list is spelled out.
 */
export const RINGBA_CALL_LOG_COLUMNS = [
  'inboundCallId',
  'callDt',
  'callConnectionDt',
  'callCompletedDt',
  'campaignId',
  'campaignName',
  'publisherId',
  'publisherName',
  'publisherSubId',
  'targetId',
  'targetName',
  'targetNumber',
  'inboundPhoneNumber',
  'number',
  'numberId',
  'isFromNumberPool',
  'numberPoolId',
  'numberPoolName',
  'callLengthInSeconds',
  'connectedCallLengthInSeconds',
  'timeToCallInSeconds',
  'timeToConnectInSeconds',
  'endCallSource',
  'hasConnected',
  'hasConverted',
  'hasPayout',
  'hasPreviouslyConnected',
  'hasRecording',
  'hasAnnotations',
  'isLive',
  'conversionAmount',
  'payoutAmount',
  'profitNet',
  'profitGross',
  'totalCost',
  'telcoCost',
  'recordingUrl',
  'buyer',
  'buyerId',
  'isDuplicate',
  'isIncomplete',
  'incompleteCallReason',
  'noConversionReason',
  'noPayoutReason',
  'blockReason',
] as const;
