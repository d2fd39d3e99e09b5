export { EventInfo } from './event-info.js';
