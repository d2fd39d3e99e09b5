export { Events } from './events.js';
export {
  ELECTRON_DRIFT_VELOCITY,
  EVENT_S1_MIN_COINCIDENCE,
  TPC_Z,
  maxDriftTime,
  numericOption,
} from './options.js';
