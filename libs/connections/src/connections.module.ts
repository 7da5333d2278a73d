import { Global, Module } from '@nestjs/common';
import { ConnectionAdapters } from './connection-adapters.js';
import { ConnectionService } from './connection.service.js';

@Global()
@Module({
  providers: [ConnectionAdapters, ConnectionService],
  exports: [ConnectionAdapters, ConnectionService],
})
export class ConnectionsModule {}
