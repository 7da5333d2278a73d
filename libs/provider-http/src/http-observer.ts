/** Receives one call per provider request, for metrics. Kept as an interface so this lib needs no metrics code. */
export interface ProviderHttpObserver {
  observe(event: { provider: string; endpoint: string; status: number | 'error'; seconds: number }): void;
}
