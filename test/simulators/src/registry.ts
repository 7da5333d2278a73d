import { createRetreaverSimulator } from './retreaver/index.js';
import { createRingbaSimulator } from './ringba/index.js';
import type { ProviderSimulator, SimulatorOptions } from './simulator.js';
import { createTrackDriveSimulator } from './trackdrive/index.js';

/** Every bundled simulator by provider id. */
export const SIMULATORS: Record<string, (options?: SimulatorOptions) => ProviderSimulator> = {
  ringba: (options) => createRingbaSimulator(options),
  retreaver: (options) => createRetreaverSimulator(options),
  trackdrive: (options) => createTrackDriveSimulator(options),
};
