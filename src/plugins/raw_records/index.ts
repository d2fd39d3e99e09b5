export { SimRawRecords } from './sim-raw-records.js';
