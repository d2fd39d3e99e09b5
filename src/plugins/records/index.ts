export { PulseProcessing } from './pulse-processing.js';
export { pulseCountDtype } from './pulse-counts-dtype.js';
