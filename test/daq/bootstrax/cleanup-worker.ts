// Child process for the clean-up race: one bootstrax host's periodic clean-up, started by the
// parent's "go" at the same moment as the others'.

import { Writable } from 'node:stream';
import { STRAXEN_TIMING } from '../../../src/daq/bootstrax/constants.js';
import { Daemon } from '../../../src/daq/bootstrax/daemon.js';
import { BootstraxLog } from '../../../src/daq/bootstrax/log.js';
import { openRunDb } from '../../../src/rundb/rundb.js';

const [url, host, out] = process.argv.slice(2) as [string, string, string];
let logged = '';
const sink = new Writable({
  write(c: Buffer, _e, cb) {
    logged += c.toString();
    cb();
  },
});

const db = await openRunDb(url);
const settings = {
  production: true,
  hostname: host,
  rundbUrl: url,
  liveDir: out,
  outputDir: out,
  context: 'xenonnt_online',
  targets: ['event_info'],
  postProcess: [],
  fixTarget: true,
  fixResources: false,
  inferMode: false,
  deleteLive: false,
  ignoreChecks: false,
  undying: false,
  debug: false,
  cores: 1,
  maxMessages: 4,
  minFreeBytes: 0,
  timing: { ...STRAXEN_TIMING },
};
const daemon = new Daemon(db, settings, '/nonexistent', new BootstraxLog(host, sink));
process.send!({ ready: true });
await new Promise((r) => process.once('message', r));
try {
  await daemon.cleanup();
  process.send!({ log: logged });
} catch (e) {
  process.send!({ error: (e as Error).message });
} finally {
  await db.close();
  process.disconnect();
}
