import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CAPABILITIES, ProviderRegistry, pluginFeatureFlags } from '@switchboard/core';

class PluginView {
  @ApiProperty({ example: 'ringba' }) provider!: string;
  @ApiProperty({ example: 'Ringba' }) displayName!: string;
  @ApiProperty({ example: '0.1.0' }) version!: string;
  @ApiProperty({ example: '@switchboard/plugin-ringba' }) package!: string;
  @ApiProperty({ example: '^1.0.0' }) compatibility!: string;
  @ApiProperty({ example: 'loaded', enum: ['loaded'] }) status!: 'loaded';
  @ApiProperty({
    description:
      'What the plugin implements (capabilities, read from its adapter class), in a stable order: ' +
      CAPABILITIES.join(', '),
    example: ['webhooks', 'history', 'callLookup', 'numbers', 'numberProvisioning', 'campaigns'],
  })
  capabilities!: string[];
  @ApiProperty({
    description:
      'Every capability as true/false, plus the declared facts (realtime, recording, transcription)',
    example: { realtime: true, recording: true, transcription: false, webhooks: true, history: true },
  })
  features!: Record<string, boolean>;
  @ApiProperty({ example: ['token'] }) verificationSchemes!: string[];
  @ApiProperty({ example: { requestsPerSecond: 5, requestsPerMinute: 80 } }) rateLimits!: Record<
    string,
    number
  >;
  @ApiProperty({
    description: 'Scheduled-sync defaults; null for a plugin without a history source (never synced)',
    example: { intervalSeconds: 300, batchSize: 100, lookbackSeconds: 259200 },
    nullable: true,
    type: Object,
  })
  sync!: Record<string, number> | null;
}

class FailedPluginView {
  @ApiProperty({ example: 'switchboard-plugin-broken' }) package!: string;
  @ApiProperty({ required: false }) provider?: string;
  @ApiProperty({ example: 'failed', enum: ['failed'] }) status!: 'failed';
  @ApiProperty({ example: 'needs SDK ^2.0.0 but this Switchboard provides SDK 1.0.0' }) reason!: string;
}

class PluginListView {
  @ApiProperty({ type: [PluginView] }) plugins!: PluginView[];
  @ApiProperty({ type: [FailedPluginView] }) failed!: FailedPluginView[];
}

@ApiTags('plugins')
@Controller('plugins')
export class PluginsController {
  constructor(private readonly registry: ProviderRegistry) {}

  @Get()
  @ApiOperation({ summary: 'Provider plugins loaded at startup, and those that failed with their reason' })
  @ApiOkResponse({ type: PluginListView })
  list(): PluginListView {
    return {
      plugins: this.registry.list().map(({ manifest, packageName }) => ({
        provider: manifest.provider,
        displayName: manifest.displayName,
        version: manifest.version,
        package: packageName,
        compatibility: manifest.compatibility,
        status: 'loaded' as const,
        capabilities: [...this.registry.capabilities(manifest.provider)],
        features: pluginFeatureFlags(manifest),
        verificationSchemes: manifest.webhooks.schemes,
        rateLimits: { ...manifest.rateLimits } as Record<string, number>,
        sync: manifest.sync ? { ...manifest.sync } : null,
      })),
      failed: this.registry.failed().map((f) => ({
        package: f.packageName,
        provider: f.provider,
        status: 'failed' as const,
        reason: f.reason,
      })),
    };
  }
}
