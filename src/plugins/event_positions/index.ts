export { EventPositions } from './event-positions.js';
