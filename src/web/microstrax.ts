// microstrax as a library: a read-only context over the stored data, the HTTP server on it, and
// (with a runs database) a heartbeat every 9 s, as straxen's microstrax reports to its DAQ.

import { hostname } from 'node:os';
import { ContextSetupError, openDefaultRunDb } from '../named-contexts/contexts.js';
import { makeReadOnlyContext } from '../named-contexts/read-only.js';
import type { RunDb } from '../rundb/rundb.js';
import { RUNDB_ENV } from '../rundb/names.js';
import type { Limits } from './get-data.js';
import { MicrostraxServer } from './server.js';
import { loadStaticFiles } from './static-files.js';
import { StoredData } from './stored-data.js';

export interface MicrostraxSettings extends Limits {
  context: string;
  port: number;
  host: string;
  extraDirs: readonly string[];
  configFromJson?: string;
  /** Runs database URL; without it (and without $STRAXTS_RUNDB) none is opened: opening a
   * SQLite file would write journal files beside it. */
  rundb?: string;
  token?: string;
  /** Where start-up notes go (default stderr). */
  log?: (line: string) => void;
}

export interface RunningMicrostrax {
  server: MicrostraxServer;
  url: string;
  close(): Promise<void>;
}

const HEARTBEAT_MS = 9000;

export async function startMicrostrax(s: MicrostraxSettings): Promise<RunningMicrostrax> {
  const log = s.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const url = s.rundb ?? process.env[RUNDB_ENV];
  let runDb: RunDb | null = null;
  if (url) {
    try {
      runDb = await openDefaultRunDb(url, '.');
    } catch (e) {
      throw new ContextSetupError(`runs database: ${(e as Error).message}`);
    }
  }
  try {
    const sc = makeReadOnlyContext(s.context, {
      ...(s.configFromJson !== undefined ? { configFile: s.configFromJson } : {}),
      extraDirs: s.extraDirs,
      runDb,
    });
    const { files, missing } = loadStaticFiles();
    if (missing.length) log(`microstrax: the viewer lacks ${missing.join(', ')} (build with npm run build)`);
    const server = new MicrostraxServer({
      data: new StoredData(sc, runDb),
      limits: { maxLoadMb: s.maxLoadMb, maxReturnMb: s.maxReturnMb },
      files,
      ...(s.token !== undefined ? { token: s.token } : {}),
    });
    const addr = await server.listen(s.port, s.host);
    const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    const timer = runDb ? await startHeartbeat(runDb, s) : null;
    return {
      server,
      url: `http://${shown}:${addr.port}`,
      async close() {
        if (timer) clearInterval(timer);
        await server.close();
        await runDb?.close();
      },
    };
  } catch (e) {
    await runDb?.close();
    throw e;
  }
}

/** Beat once (awaited, so a running server is already registered), then every 9 s. */
async function startHeartbeat(db: RunDb, s: MicrostraxSettings): Promise<NodeJS.Timeout> {
  const beat = (): Promise<void> =>
    db
      .heartbeat({
        host: hostname(),
        program: 'microstrax',
        pid: process.pid,
        state: 'hosting microstrax',
        info: {
          max_load_mb: s.maxLoadMb,
          max_return_mb: s.maxReturnMb,
          context: s.context,
          n_dirs: s.extraDirs.length,
        },
      })
      .catch((e: Error) => {
        process.stderr.write(`microstrax: heartbeat failed: ${e.message}\n`);
      });
  await beat();
  const t = setInterval(() => void beat(), HEARTBEAT_MS);
  t.unref();
  return t;
}
