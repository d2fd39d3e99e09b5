export { PeakletClassificationVanilla, peakletClassificationDtype } from './peaklet-classification.js';
