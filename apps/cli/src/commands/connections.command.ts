import * as fs from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { ConnectionService } from '@switchboard/connections';
import { withPlatform } from '../cli-context.js';
import { CliError, printJson, printTable } from '../output.js';

interface JsonOption {
  json?: boolean;
}

export function registerConnections(program: Command): void {
  const connections = program.command('connections').description('manage provider connections (accounts)');

  connections
    .command('list')
    .option('--provider <id>', 'only this provider')
    .option('--json', 'machine-readable output')
    .action((options: JsonOption & { provider?: string }) =>
      withPlatform(async (app) => {
        const items = await app.get(ConnectionService).list({ provider: options.provider });
        if (options.json) return printJson(items);
        printTable(items, ['id', 'provider', 'name', 'mode', 'active', 'webhookUrl']);
      }),
    );

  connections
    .command('add')
    .description('create a connection; prints its webhook secret once')
    .requiredOption('--provider <id>', 'plugin type id, e.g. ringba')
    .requiredOption('--name <name>', 'a name for people')
    .option(
      '--credentials <json|@file>',
      'credential fields as JSON, or @path to a JSON file (keeps secrets out of shell history)',
    )
    .option('--credential <key=value...>', 'one credential field; repeat for each')
    .option(
      '--settings <json|@file>',
      'settings as JSON, or @path to a JSON file (nested ones such as the generic webhook mapping)',
    )
    .option('--setting <key=value...>', 'one setting, e.g. timeZone=America/New_York; repeat for each')
    .option('--mode <mode>', 'live or shadow', 'live')
    .option('--no-validate', 'save without checking the credentials against the provider')
    .option('--json', 'machine-readable output')
    .action(
      (
        options: JsonOption & {
          provider: string;
          name: string;
          credentials?: string;
          credential?: string[];
          settings?: string;
          setting?: string[];
          mode: string;
          validate: boolean;
        },
      ) =>
        withPlatform(async (app) => {
          if (!['live', 'shadow'].includes(options.mode)) throw new CliError('--mode must be live or shadow');
          const credentials = {
            ...readJsonOption(options.credentials, '--credentials'),
            ...pairs(options.credential, '--credential'),
          };
          const result = await app.get(ConnectionService).create({
            provider: options.provider,
            name: options.name,
            credentials,
            settings: settingsOf(options),
            mode: options.mode as 'live' | 'shadow',
            validate: options.validate,
          });
          if (options.json) return printJson(result);
          process.stdout.write(
            `created connection ${result.connection.id} (${result.connection.provider})\n` +
              `webhook URL:    ${result.connection.webhookUrl}\n` +
              `webhook secret: ${result.webhookSecret}\n` +
              '(the secret is shown only now; `switchboard connections templates <id>` prints what to paste into the provider)\n',
          );
        }),
    );

  connections
    .command('show <id>')
    .description('show one connection (secrets masked)')
    .action((id: string) => withPlatform(async (app) => printJson(await app.get(ConnectionService).get(id))));

  connections
    .command('update <id>')
    .option('--name <name>')
    .option('--mode <mode>', 'live or shadow')
    .option('--active <bool>', 'true or false')
    .option('--settings <json|@file>', 'replace settings with this JSON object (or @path to a JSON file)')
    .option('--setting <key=value...>', 'replace settings with these (merged over --settings)')
    .action(
      (
        id: string,
        options: { name?: string; mode?: string; active?: string; settings?: string; setting?: string[] },
      ) =>
        withPlatform(async (app) => {
          if (options.mode && !['live', 'shadow'].includes(options.mode))
            throw new CliError('--mode must be live or shadow');
          if (options.active && !['true', 'false'].includes(options.active))
            throw new CliError('--active must be true or false');
          const updated = await app.get(ConnectionService).update(id, {
            name: options.name,
            mode: options.mode as 'live' | 'shadow' | undefined,
            active: options.active === undefined ? undefined : options.active === 'true',
            settings: options.settings || options.setting ? settingsOf(options) : undefined,
          });
          printJson(updated);
        }),
    );

  connections
    .command('remove <id>')
    .description('delete a connection and its calls')
    .action((id: string) =>
      withPlatform(async (app) => {
        await app.get(ConnectionService).remove(id);
        process.stdout.write(`removed connection ${id}\n`);
      }),
    );

  connections
    .command('rotate-secret <id>')
    .description('issue a new webhook secret; the previous one keeps working until revoke-previous')
    .option('--no-keep-previous', 'invalidate the previous secret at once')
    .action((id: string, options: { keepPrevious: boolean }) =>
      withPlatform(async (app) => {
        const { webhookSecret } = await app
          .get(ConnectionService)
          .rotateWebhookSecret(id, { keepPrevious: options.keepPrevious });
        process.stdout.write(`new webhook secret: ${webhookSecret}\n`);
      }),
    );

  connections
    .command('revoke-previous <id>')
    .description('stop accepting every webhook secret but the newest')
    .action((id: string) =>
      withPlatform(async (app) => {
        await app.get(ConnectionService).revokePreviousWebhookSecrets(id);
        process.stdout.write('previous webhook secrets revoked\n');
      }),
    );

  connections
    .command('templates <id>')
    .description('print the URL/header/body templates to paste into the provider, per trigger')
    .option('--json', 'machine-readable output')
    .action((id: string, options: JsonOption) =>
      withPlatform(async (app) => {
        const templates = await app.get(ConnectionService).webhookTemplates(id);
        if (options.json) return printJson(templates);
        for (const t of templates) {
          process.stdout.write(`\n## ${t.trigger} (${t.providerTrigger})\n${t.method} ${t.url}\n`);
          for (const [k, v] of Object.entries(t.headers ?? {})) process.stdout.write(`${k}: ${v}\n`);
          if (t.body) process.stdout.write(`\n${t.body}\n`);
          if (t.notes) process.stdout.write(`note: ${t.notes}\n`);
        }
      }),
    );

  connections
    .command('validate <id>')
    .description('check the stored credentials against the provider')
    .action((id: string) =>
      withPlatform(async (app) => {
        const { valid } = await app.get(ConnectionService).validate(id);
        if (!valid) throw new CliError('the provider refused the stored credentials');
        process.stdout.write('credentials accepted by the provider\n');
      }),
    );

  program
    .command('keys-rewrap')
    .description('after adding a new first key to ENCRYPTION_KEYS: re-wrap every stored secret with it')
    .option('--json', 'machine-readable output (no progress bar)')
    .action((options: JsonOption) =>
      withPlatform(async (app) => {
        // A progress bar for people (on stderr, only on a terminal): thousands of connections take a while.
        const bar =
          !options.json && process.stderr.isTTY
            ? new cliProgress.SingleBar(
                { format: 'keys-rewrap [{bar}] {value}/{total} connections', stream: process.stderr },
                cliProgress.Presets.shades_classic,
              )
            : undefined;
        let changed: number;
        try {
          changed = await app.get(ConnectionService).rewrapAll((done, total) => {
            if (done === 0) bar?.start(total, 0);
            else bar?.update(done);
          });
        } finally {
          bar?.stop();
        }
        if (options.json) return printJson({ rewrapped: changed });
        process.stdout.write(
          `re-wrapped ${changed} connection(s); the old key can be removed once no value uses it\n`,
        );
      }),
    );
}

function readJsonOption(value: string | undefined, flag: string): Record<string, unknown> {
  if (!value) return {};
  const text = value.startsWith('@') ? fs.readFileSync(value.slice(1), 'utf8') : value;
  try {
    const parsed = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new CliError(`${flag} must be a JSON object (or @file containing one)`);
  }
}

/** `--settings` JSON with `--setting key=value` pairs over it. */
function settingsOf(options: { settings?: string; setting?: string[] }): Record<string, unknown> {
  return { ...readJsonOption(options.settings, '--settings'), ...pairs(options.setting, '--setting') };
}

function pairs(values: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of values ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new CliError(`${flag} takes key=value, got "${item.split('=')[0]}"`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}
