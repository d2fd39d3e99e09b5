export {
  EventPositions,
  DEFAULT_POSREC_ALGO,
  DEFAULT_RECONSTRUCTION_ALGORITHM,
  ELECTRON_DRIFT_TIME_GATE,
} from './event-positions.js';
