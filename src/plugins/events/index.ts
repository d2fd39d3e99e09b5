export { Events } from './events.js';
