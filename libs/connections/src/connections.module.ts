import { Global, Module } from '@nestjs/common';
import { ConnectionAdapters } from './connection-adapters.js';
import { ConnectionService } from './connection.service.js';
import { ConnectionSecretsCheck } from './connection-secrets-check.js';

@Global()
@Module({
  providers: [ConnectionAdapters, ConnectionService, ConnectionSecretsCheck],
  exports: [ConnectionAdapters, ConnectionService, ConnectionSecretsCheck],
})
export class ConnectionsModule {}
