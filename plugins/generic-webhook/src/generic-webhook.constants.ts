/** Plugin type id, used in URLs, storage and error messages. */
export const GENERIC_WEBHOOK = 'generic-webhook';

/** Query parameter the templates put the connection's token in (the platform's token check reads it). */
export const TOKEN_QUERY_PARAM = 'token';

/** Header alternative for the token, for senders that can set headers but not change the URL. */
export const TOKEN_HEADER = 'x-switchboard-token';
