import { Logger } from '@nestjs/common';
import type { PluginLogger } from '@switchboard/core';

/** A PluginLogger over Nest's logger (pino in the apps), tagging each line with provider and connection. */
export function pluginLogger(provider: string, connectionId: string): PluginLogger {
  const logger = new Logger(`plugin:${provider}`);
  const line = (message: string, fields?: Record<string, unknown>) => ({
    msg: message,
    connectionId,
    ...fields,
  });
  return {
    debug: (m, f) => logger.debug(line(m, f)),
    info: (m, f) => logger.log(line(m, f)),
    warn: (m, f) => logger.warn(line(m, f)),
    error: (m, f) => logger.error(line(m, f)),
  };
}
