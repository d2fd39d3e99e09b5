// Ready-made contexts and the straxer job (the layer above plugins, config, storage and rundb).

export {
  CONTEXT_NAMES,
  ContextSetupError,
  makeContext,
  openContext,
  openDefaultRunDb,
  type ContextArgs,
  type ContextName,
  type StraxtsContext,
} from './contexts.js';
export { RestrictedFrontend, RunInfoFrontend, unwrapFrontend } from './frontends.js';
export { StraxerUsageError } from './straxer/errors.js';
export { parseStraxerArgs, type StraxerOptions } from './straxer/options.js';
export { runStraxerJob } from './straxer/job.js';
export { currentLineageHashes } from './lineage-hashes.js';
