/**
 * Runs the TrackDrive simulator on its own, for manual testing:
 *
 *   npx tsc -b test/simulators && TRACKDRIVE_SIM_PORT=4010 node test/simulators/dist/trackdrive/main.js
 *
 * Prints the API base URL and the credentials it accepts; Ctrl-C stops it.
 */
import { createTrackDriveSimulator } from './index.js';

const sim = createTrackDriveSimulator({
  port: Number(process.env.TRACKDRIVE_SIM_PORT ?? 0),
  seed: Number(process.env.TRACKDRIVE_SIM_SEED ?? 1),
  historyCalls: Number(process.env.TRACKDRIVE_SIM_CALLS ?? 120),
});
await sim.start();
console.log(
  JSON.stringify({ provider: sim.provider, apiBaseUrl: sim.baseUrl, credentials: sim.credentials }, null, 2),
);
const stop = () => void sim.stop().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
