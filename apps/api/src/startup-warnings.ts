import type { AppConfig } from '@switchboard/config';

/**
 * Warnings an operator must see when the API starts: without ADMIN_TOKEN outside production every
 * route, admin ones included, answers anyone. loadConfig then binds to loopback unless HOST is set;
 * the warning says which case this is.
 */
export function startupWarnings(config: AppConfig): string[] {
  if (config.adminToken || config.nodeEnv === 'production') return [];
  const exposed = !['127.0.0.1', '::1', 'localhost'].includes(config.host);
  return [
    `THE API IS OPEN: no ADMIN_TOKEN is set and NODE_ENV is not production, so every route (admin ones ` +
      `included) answers without a key. ` +
      (exposed
        ? `It listens on ${config.host} (HOST is set): anyone who can reach this address controls Switchboard. `
        : `It listens on loopback (${config.host}) only; set HOST to listen elsewhere. `) +
      'Set ADMIN_TOKEN (e.g. `openssl rand -hex 24`) or NODE_ENV=production to require keys.',
  ];
}
