import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyService } from './api-key.service.js';
import { AuthGuard } from './auth.guard.js';

@Global()
@Module({
  providers: [ApiKeyService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [ApiKeyService],
})
export class AuthModule {}
