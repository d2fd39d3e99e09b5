export { EventInfoDouble, renameDoubleField } from './event-info-double.js';
