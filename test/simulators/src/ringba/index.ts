import { RingbaSimulator, type RingbaSimulatorOptions } from './ringba-simulator.js';

export {
  RingbaSimulator,
  type RingbaCallOverrides,
  type RingbaSimulatorOptions,
} from './ringba-simulator.js';
export { renderPixel, tokenValues, type RenderedPixel } from './ringba-pixels.js';
export type { SimCallRecord, SimCampaign, SimNumber, SimOutcome, SimWorld } from './ringba-world.js';

/** A Ringba simulator (not started: call `start()`). */
export function createRingbaSimulator(options?: RingbaSimulatorOptions): RingbaSimulator {
  return new RingbaSimulator(options);
}
