import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@switchboard/config';
import { EnvelopeCipher } from './envelope-cipher.js';

@Global()
@Module({
  providers: [
    {
      provide: EnvelopeCipher,
      useFactory: (config: AppConfig) => new EnvelopeCipher(config.encryptionKeys),
      inject: [AppConfig],
    },
  ],
  exports: [EnvelopeCipher],
})
export class CryptoModule {}
