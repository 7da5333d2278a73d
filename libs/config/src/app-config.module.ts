import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig, loadConfig } from './app-config.js';

/**
 * Provides AppConfig (typed, validated) everywhere, and @nestjs/config's ConfigService for plugins
 * that bring their own settings. Apps validate before creating the Nest application (so a bad
 * value stops the process with one line, not a stack trace) and pass the result in.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          load: [() => ({ switchboard: config })],
        }),
      ],
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
