export { PeakPositionsBase, type ReconstructedPositions } from './peak-positions-base.js';
export { PeakPositionsCoG } from './peak-positions-cog.js';
