export { EventBasicsVanilla } from './event-basics.js';
export { PEAK_PROPERTIES, eventBasicsFields, positionLabels } from './event-basics-dtype.js';
