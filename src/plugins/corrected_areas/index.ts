export { CorrectedAreas } from './corrected-areas.js';
export { INTERMEDIATE_CS2S, cs2Postfix } from './corrected-areas-dtype.js';
