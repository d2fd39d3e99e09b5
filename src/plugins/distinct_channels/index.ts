export { DistinctChannels } from './distinct-channels.js';
