export { PeakProximity } from './peak-proximity.js';
