export { MergedS2sVanilla, MERGED_INDICATOR_TITLE } from './merged-s2s.js';
