export { MergedS2sVanilla, MERGED_INDICATOR_TITLE } from './merged-s2s.js';
export { peaksFromRecords, peaksToRecords } from './peak-records.js';
