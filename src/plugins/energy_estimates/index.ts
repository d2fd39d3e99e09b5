export { EnergyEstimates } from './energy-estimates.js';
