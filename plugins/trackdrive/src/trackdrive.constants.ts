/** Plugin type id, used in URLs, storage and error messages. */
export const TRACKDRIVE = 'trackdrive';

/** `{subdomain}` is replaced with the connection's subdomain. */
export const TRACKDRIVE_DEFAULT_API_BASE_URL = 'https://{subdomain}.trackdrive.com/api/v1';

/** TrackDrive's default page size is 25; no maximum is published, so we stay modest. */
export const TRACKDRIVE_DEFAULT_PAGE_SIZE = 50;
export const TRACKDRIVE_MAX_PAGE_SIZE = 100;

/** Safety stop for page-numbered listings (offers, phone numbers) that never say "last page". */
export const TRACKDRIVE_MAX_LIST_PAGES = 500;

/** The first cursor of a cursored listing; `0` in metadata.next_cursor means "no more pages". */
export const TRACKDRIVE_FIRST_CURSOR = '-1';
