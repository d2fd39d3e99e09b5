export { PulseProcessing } from './records.js';
export { pulseCountDtype } from './pulse-counts-dtype.js';
