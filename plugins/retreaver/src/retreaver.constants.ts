/** Plugin type id, used in URLs (`/webhooks/retreaver/:connectionId`) and storage. */
export const PROVIDER = 'retreaver';

/** Retreaver's API host; `ctx.apiBaseUrl` overrides it (simulators, sandboxes). */
export const DEFAULT_API_BASE_URL = 'https://api.retreaver.com';

/** Paths of the Retreaver Core API the plugin uses. All of them end in `.json`. */
export const PATHS = {
  calls: '/api/v2/calls.json',
  call: (uuid: string) => `/api/v2/calls/${encodeURIComponent(uuid)}.json`,
  campaigns: '/campaigns.json',
  campaign: (cid: string) => `/campaigns/cid/${encodeURIComponent(cid)}.json`,
  numbers: '/numbers.json',
  number: (id: string) => `/numbers/${encodeURIComponent(id)}.json`,
  reports: '/api/v1/reports.json',
} as const;

/**
 * Page size. Retreaver answers 25 rows by default and documents no maximum; its own example
 * script asks for 100, so we never ask for more than that.
 */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 100;

/** Upper bound on pages read by list operations that page to the end (numbers, campaigns). */
export const MAX_LIST_PAGES = 500;

/** Query parameters that carry credentials: never stored in cursors, logs or errors. */
export const CREDENTIAL_QUERY_PARAMS = ['api_key', 'company_id'] as const;
