// The lineage hash today's software gives each data type (ajax's old_hash mode compares the
// folders on disk with it).

import { makeContext } from './contexts.js';

export function currentLineageHashes(
  contextName = 'xenonnt_online',
): (runId: string, dataType: string) => string | undefined {
  const c = makeContext(contextName, { outputFolder: '.' });
  const known = new Set(c.dataTypes);
  return (runId, dataType) =>
    known.has(dataType) ? c.context.keyFor(runId, dataType).lineageHash : undefined;
}
