// A context that only reads what is stored (microstrax, the viewer): every frontend read-only,
// extra data folders appended read-only, nothing may be computed, and data still being written
// is readable (straxen's microstrax: allow_incomplete, forbid_creation_of '*').

import { existsSync, statSync } from 'node:fs';
import type { DataKey, StorageFrontend } from '../core/storage-api.js';
import { DataDirectory } from '../storage/data-directory.js';
import type { DataMetadata } from '../storage/metadata.js';
import { RunDbFrontend } from '../storage/rundb-frontend.js';
import { ContextSetupError, checkContextArgs, makeContext, type StraxtsContext } from './contexts.js';
import { RestrictedFrontend, unwrapFrontend } from './frontends.js';
import type { RunDb } from '../rundb/rundb.js';

export interface ReadOnlyContextArgs {
  configFile?: string;
  /** Folders searched after the context's own storage (straxen's --extra_dirs). */
  extraDirs?: readonly string[];
  /** Data folder of the context itself (default ./strax_data; need not exist). */
  dataFolder?: string;
  runDb?: RunDb | null;
}

export function makeReadOnlyContext(name: string, a: ReadOnlyContextArgs = {}): StraxtsContext {
  for (const d of a.extraDirs ?? []) {
    if (!existsSync(d)) throw new ContextSetupError(`extra data folder ${d} does not exist`);
    if (!statSync(d).isDirectory()) throw new ContextSetupError(`extra data folder ${d} is not a directory`);
  }
  const args = {
    ...(a.configFile !== undefined ? { configFile: a.configFile } : {}),
    ...(a.dataFolder !== undefined ? { outputFolder: a.dataFolder } : {}),
    runDb: a.runDb ?? null,
  };
  checkContextArgs(name, args);
  const sc = makeContext(name, args);
  const ctx = sc.context;
  ctx.storage = [
    ...ctx.storage.map((fe) => new RestrictedFrontend(fe, { readonly: true })),
    ...(a.extraDirs ?? []).map((d) => new DataDirectory(d, { readonly: true, create: false })),
  ];
  ctx.setContextConfig({ allowIncomplete: true, forbidCreationOf: ['*'], progressBar: false });
  return sc;
}

/** Where stored data of a key is and its metadata (chunks so far, for data being written). */
export async function findStoredData(
  storage: readonly StorageFrontend[],
  key: DataKey,
): Promise<{ frontend: StorageFrontend; dir: string; metadata: DataMetadata } | null> {
  for (const fe of storage) {
    const inner = unwrapFrontend(fe);
    let dir: DataDirectory | undefined;
    if (inner instanceof DataDirectory) dir = inner;
    else if (inner instanceof RunDbFrontend) dir = await inner.locate(key, true);
    if (!dir) continue;
    const found = dir.find(key, { allowIncomplete: true });
    if (found) return { frontend: fe, ...found };
  }
  return null;
}

/** The data folders a context reads (for listing runs). */
export function dataDirectoriesOf(storage: readonly StorageFrontend[]): DataDirectory[] {
  return storage.map(unwrapFrontend).filter((fe): fe is DataDirectory => fe instanceof DataDirectory);
}
