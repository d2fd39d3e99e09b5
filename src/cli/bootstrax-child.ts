// bootstrax's processing child (started by the daemon, not by hand): one job on IPC, one result
// back, exit 0 when the run was made, 1 when not.

import './jit-flags.js'; // first: before any chain code runs
import { runStraxJob } from './bootstrax/strax-child.js';
import type { StraxJob } from '../daq/bootstrax/child-protocol.js';

if (!process.send) {
  process.stderr.write('bootstrax-child: started by bootstrax only (it needs the job on IPC)\n');
  process.exit(2);
}
// The daemon died (kill -9, crash): stop at once, so no orphan keeps writing beside the run's
// next attempt. Its unfinished folders stay _temp; the daemon's restart cleans them.
process.once('disconnect', () => process.exit(1));
// The daemon's stop request (SIGTERM), or a signal to the whole process group (Ctrl-C, systemd):
// stop processing so that the savers mark their data failed and every registration is written
// before exiting; a kill in the middle would leave folders or entries the daemon cannot see.
const stop = new AbortController();
const onSignal = (sig: NodeJS.Signals): void => {
  if (!stop.signal.aborted) stop.abort(new Error(`stopped by ${sig}`));
};
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);
process.once('message', (job: StraxJob) => {
  void runStraxJob(job, (m) => process.stdout.write(`[${job.runId}] ${m}\n`), stop.signal).then((result) => {
    if (!process.connected) process.exit(1);
    process.send!(result, () => process.exit(result.kind === 'done' ? 0 : 1));
  });
});
