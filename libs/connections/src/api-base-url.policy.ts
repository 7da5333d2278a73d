import type { PluginManifest } from '@switchboard/core';
import { ConnectionError } from './connection-errors.js';

/**
 * The hosts a plugin declares for its provider's API, from its manifest's defaultApiBaseUrl
 * (`https://{subdomain}.trackdrive.com/api/v1` declares any one label under trackdrive.com).
 */
export function declaredApiHosts(manifest: PluginManifest): RegExp[] {
  if (!manifest.defaultApiBaseUrl) return [];
  const host = manifest.defaultApiBaseUrl
    .replace(/^https?:\/\//, '')
    .split(/[/?#]/)[0]
    ?.toLowerCase();
  if (!host) return [];
  const pattern = host
    .split('{subdomain}')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?');
  return [new RegExp(`^${pattern}$`)];
}

/**
 * A connection's `settings.apiBaseUrl` decides where Switchboard sends its credentials and whose
 * answers it shows the admin. Unchecked, it let an admin aim the server at an internal service and
 * read the reply. So it must be an https URL on a host the plugin declares, unless the operator
 * allows custom URLs (ALLOW_CUSTOM_API_BASE_URLS=true: simulators, staging); then any http(s) URL.
 * Throws a ConnectionError (the API's 400) naming `settings.apiBaseUrl`. The rule lives here, not in
 * the API, so every way of creating a connection (API, CLI) is held to it.
 */
export function checkApiBaseUrl(
  settings: Record<string, unknown> | undefined,
  manifest: PluginManifest,
  allowCustom: boolean,
): void {
  if (!settings || settings.apiBaseUrl === undefined) return;
  const field = 'settings.apiBaseUrl';
  const refuse = (error: 'invalid_request' | 'api_base_url_not_allowed', message: string) => {
    throw new ConnectionError(error, message, { field });
  };
  const value = settings.apiBaseUrl;
  let url: URL | undefined;
  try {
    url = typeof value === 'string' && value.length <= 2048 ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.username || url.password) {
    return refuse('invalid_request', `${field} must be an http(s) URL without user info`);
  }
  if (allowCustom) return;
  const hosts = declaredApiHosts(manifest);
  const declared = manifest.defaultApiBaseUrl?.replace(/^https?:\/\//, '').split('/')[0];
  if (url.protocol !== 'https:' || !hosts.some((host) => host.test(url.hostname.toLowerCase()))) {
    refuse(
      'api_base_url_not_allowed',
      `${field} must be an https URL on the host the ${manifest.provider} plugin declares` +
        `${declared ? ` (${declared})` : ' (it declares none)'}; ` +
        'the operator can allow other hosts with ALLOW_CUSTOM_API_BASE_URLS=true',
    );
  }
}
