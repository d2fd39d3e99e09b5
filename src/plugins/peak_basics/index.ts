export { PeakBasicsVanilla } from './peak-basics.js';
