export { PeaksVanilla, FAR_XYPOS_S2_TYPE } from './peaks.js';
