import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { registerConnections } from './commands/connections.command.js';
import { registerKeys } from './commands/keys.command.js';
import { registerMigrate } from './commands/migrate.command.js';
import { registerPluginNew } from './commands/plugin-new.command.js';
import { registerPlugins } from './commands/plugins.command.js';
import { registerReplay } from './commands/replay.command.js';
import { registerStatus } from './commands/status.command.js';
import { registerSync } from './commands/sync.command.js';
import { CliError } from './output.js';

const program = new Command()
  .name('switchboard')
  .description('Switchboard operator CLI: migrations, connections, plugins, replays and backfills')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

registerStatus(program);
registerMigrate(program);
registerPlugins(program);
registerPluginNew(program);
registerConnections(program);
registerKeys(program);
registerReplay(program);
registerSync(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  // Expected problems are one line; anything else too — stack traces are for developers (DEBUG=1).
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`switchboard: ${message}\n`);
  if (process.env.DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(error instanceof CliError ? error.exitCode : 1);
}
