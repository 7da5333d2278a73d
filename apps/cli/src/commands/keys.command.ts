import type { Command } from 'commander';
import {
  API_KEY_SCOPES,
  ApiKeyRepository,
  AuditLog,
  apiKeyExpiry,
  type ApiKeyRecord,
  type ApiKeyScope,
} from '@switchboard/persistence';
import { withPlatform } from '../cli-context.js';
import { CliError, printJson, printTable } from '../output.js';

interface CreateOptions {
  scope: string;
  expires?: string;
  name?: string;
  json?: boolean;
}

/**
 * `switchboard keys create|list|revoke`: API keys for host applications, the same table and rules
 * as POST/GET/DELETE /api-keys. The key is printed once; only its SHA-256 hash is stored. Creating
 * and revoking leave an audit record (actor "cli").
 */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('manage API keys for host applications');

  keys
    .command('create')
    .description('create an API key; prints the key once')
    .requiredOption('--scope <scope>', `what the key may do: ${API_KEY_SCOPES.join(', ')}`)
    .option('--expires <lifetime>', 'lifetime such as 90d, 12h, 2w or 1y (default: never)')
    .option('--name <name>', 'what the key is for', 'api key')
    .option('--json', 'machine-readable output')
    .action((options: CreateOptions) => {
      // Arguments are checked before anything connects.
      if (!(API_KEY_SCOPES as readonly string[]).includes(options.scope)) {
        throw new CliError(`--scope must be one of ${API_KEY_SCOPES.join(', ')} (got "${options.scope}")`);
      }
      const expiresAt = options.expires === undefined ? undefined : apiKeyExpiry(options.expires);
      if (options.expires !== undefined && !expiresAt) {
        throw new CliError(
          `--expires must be a lifetime like 90d, 12h, 2w or 1y, up to 10 years (got "${options.expires}")`,
        );
      }
      const name = (options.name ?? 'api key').trim();
      if (!name || name.length > 255) throw new CliError('--name must be 1 to 255 characters');
      return withPlatform(async (app) => {
        const { record, key } = await app
          .get(ApiKeyRepository)
          .create({ name, scopes: [options.scope as ApiKeyScope], expiresAt });
        await app.get(AuditLog).record({
          actor: { kind: 'cli' },
          action: 'api_key.created',
          target: { type: 'api_key', id: record.id },
          details: { name, prefix: record.prefix, scope: options.scope, expiresAt: expiresAt ?? null },
        });
        if (options.json) return printJson({ apiKey: view(record), key });
        process.stdout.write(
          `created API key ${record.id} (${options.scope}${expiresAt ? `, expires ${expiresAt.toISOString()}` : ''})\n` +
            `key (shown once, store it now): ${key}\n`,
        );
      });
    });

  keys
    .command('list')
    .description('API keys with scopes, expiry and last use (never the keys)')
    .option('--all', 'include revoked keys')
    .option('--json', 'machine-readable output')
    .action((options: { all?: boolean; json?: boolean }) =>
      withPlatform(async (app) => {
        const items = (await app.get(ApiKeyRepository).list({ includeRevoked: options.all })).map(view);
        if (options.json) return printJson(items);
        printTable(items, ['id', 'prefix', 'name', 'scopes', 'expiresAt', 'lastUsedAt', 'revokedAt']);
      }),
    );

  keys
    .command('revoke <idOrPrefix>')
    .description('revoke a key by id or prefix; requests with it are refused from then on')
    .option('--json', 'machine-readable output')
    .action((idOrPrefix: string, options: { json?: boolean }) => {
      if (!/^[0-9a-f-]{8,36}$/i.test(idOrPrefix)) {
        throw new CliError(`"${idOrPrefix}" is not a key id or prefix`);
      }
      return withPlatform(async (app) => {
        const record = await app.get(ApiKeyRepository).revoke(idOrPrefix);
        if (!record) throw new CliError(`no API key ${idOrPrefix}`);
        await app.get(AuditLog).record({
          actor: { kind: 'cli' },
          action: 'api_key.revoked',
          target: { type: 'api_key', id: record.id },
          details: { name: record.name, prefix: record.prefix },
        });
        if (options.json) return printJson(view(record));
        process.stdout.write(`revoked API key ${record.id} (${record.prefix})\n`);
      });
    });
}

function view(record: ApiKeyRecord) {
  return {
    id: record.id,
    name: record.name,
    prefix: record.prefix,
    scopes: record.scopes.join(','),
    lastUsedAt: record.lastUsedAt?.toISOString() ?? null,
    expiresAt: record.expiresAt?.toISOString() ?? null,
    revokedAt: record.revokedAt?.toISOString() ?? null,
    createdAt: record.createdAt.toISOString(),
  };
}
