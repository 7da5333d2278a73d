import type { Command } from 'commander';
import { discoverPlugins, pluginCapabilities } from '@switchboard/core';
import { cliPluginDiscovery } from '../cli-context.js';
import { printJson, printTable } from '../output.js';

export function registerPlugins(program: Command): void {
  program
    .command('plugins')
    .description('list the provider plugins this installation finds, and the ones that fail to load')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const { loaded, failed } = await discoverPlugins(cliPluginDiscovery());
      const rows = [
        ...loaded.map((p) => ({
          provider: p.manifest.provider,
          version: p.manifest.version,
          package: p.packageName,
          status: 'loaded',
          capabilities: pluginCapabilities(p.manifest).join(','),
        })),
        ...failed.map((f) => ({
          provider: f.provider ?? '',
          version: '',
          package: f.packageName,
          status: 'failed',
          capabilities: f.reason,
        })),
      ];
      if (options.json) return printJson(rows);
      printTable(rows, ['provider', 'version', 'package', 'status', 'capabilities']);
    });
}
