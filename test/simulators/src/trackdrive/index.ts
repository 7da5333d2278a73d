import type { ProviderSimulator } from '../simulator.js';
import { TrackDriveSimulator, type TrackDriveSimulatorOptions } from './trackdrive-simulator.js';

export {
  TrackDriveSimulator,
  renderTokens,
  type TrackDriveFiredWebhook,
  type TrackDriveSimulatorOptions,
  type TrackDriveSubscription,
} from './trackdrive-simulator.js';
export {
  TD_LIVE_STATUSES,
  TD_UNANSWERED_STATUSES,
  formatTdTime,
  formatTdTokenTime,
} from './trackdrive-data.js';

/**
 * A TrackDrive API simulator on loopback. `await sim.start()`, then point a connection at
 * `sim.baseUrl` with `sim.credentials`.
 */
export function createTrackDriveSimulator(
  options?: TrackDriveSimulatorOptions,
): ProviderSimulator & TrackDriveSimulator {
  return new TrackDriveSimulator(options);
}
