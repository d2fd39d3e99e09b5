// Ready-made contexts, asked for by name (straxer --context NAME): the layer above plugins,
// daq, config, storage and rundb.

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
export { currentLineageHashes } from './lineage-hashes.js';
export { versionRows, KEY_PACKAGES, type VersionRow } from './versions.js';
