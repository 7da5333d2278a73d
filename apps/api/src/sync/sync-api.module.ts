import { Module } from '@nestjs/common';
import { SyncModule } from '@switchboard/sync';
import { SyncController } from './sync.controller.js';

@Module({ imports: [SyncModule], controllers: [SyncController] })
export class SyncApiModule {}
