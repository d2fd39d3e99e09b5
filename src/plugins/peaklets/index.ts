export { Peaklets } from './peaklets.js';
