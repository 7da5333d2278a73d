import { SwitchboardMetrics } from './switchboard-metrics.js';

/** Feeds provider request outcomes into the provider API metrics (implements ProviderHttpObserver). */
export class ProviderHttpMetrics {
  constructor(private readonly metrics: SwitchboardMetrics) {}

  observe(event: { provider: string; endpoint: string; status: number | 'error'; seconds: number }): void {
    const status = SwitchboardMetrics.statusClass(event.status);
    this.metrics.providerApiRequests.inc({ provider: event.provider, endpoint: event.endpoint, status });
    this.metrics.providerApiDuration.observe(
      { provider: event.provider, endpoint: event.endpoint },
      event.seconds,
    );
    const up = event.status !== 'error' && event.status < 500;
    this.metrics.providerApiUp.set({ provider: event.provider }, up ? 1 : 0);
  }
}
