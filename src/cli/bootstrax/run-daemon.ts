// Starting a bootstrax daemon from its parsed command line: checks that need the contexts layer
// (the context name), the output folder, the runs database, metrics, signals, and the dispatch
// to the main loop or a one-off command (with --undying, errors restart the loop after a nap).

import { accessSync, constants, mkdirSync } from 'node:fs';
import { Daemon } from '../../daq/bootstrax/daemon.js';
import { BootstraxLog } from '../../daq/bootstrax/log.js';
import { BootstraxUsageError, type BootstraxCli } from './options.js';
import { openRunDb, type RunDb } from '../../rundb/rundb.js';
import { checkContextArgs, ContextSetupError } from '../../named-contexts/contexts.js';

const UNDYING_NAP_MS = 60_000;

export async function runBootstrax(cli: BootstraxCli, childScript: string): Promise<number> {
  const s = cli.settings;
  try {
    checkContextArgs(s.context, s.configFromJson ? { configFile: s.configFromJson } : {});
  } catch (e) {
    if (e instanceof ContextSetupError) throw new BootstraxUsageError(e.message);
    throw e;
  }
  try {
    mkdirSync(s.outputDir, { recursive: true });
    accessSync(s.outputDir, constants.W_OK);
  } catch {
    throw new BootstraxUsageError(`output folder ${s.outputDir} is not writable: give --output_dir DIR`);
  }
  const log = new BootstraxLog(s.hostname, process.stderr, s.debug);
  if (!s.production) log.warning('test mode (no --production): nothing is claimed, recorded or deleted');
  else if (!s.deleteLive || !s.inferMode)
    log.warning('production without --delete_live or --infer_mode: live_data stays, resources are fixed');
  const db: RunDb = await openRunDb(s.rundbUrl);
  const daemon = new Daemon(db, s, childScript, log);
  const onSignal = (sig: string) => () => {
    log.info(`${sig}: stopping after the current step`);
    daemon.stop();
  };
  process.on('SIGTERM', onSignal('SIGTERM'));
  process.on('SIGINT', onSignal('SIGINT'));
  try {
    if (s.metricsPort !== undefined) {
      const port = await daemon.metrics.listen(s.metricsPort);
      log.info(`metrics on http://localhost:${port}/metrics`);
    }
    if (s.production && cli.command.kind === 'loop') await daemon.checkSingleInstance();
    log.info(`bootstrax starting: runs database ${db.display}, output ${s.outputDir}, pid ${process.pid}`);
    for (;;) {
      try {
        await dispatch(daemon, cli);
        return 0;
      } catch (e) {
        if (!s.undying || daemon.stopping || e instanceof BootstraxUsageError) throw e;
        log.error(`Fatal warning: ran into ${(e as Error).message}; starting again in a minute`);
        await new Promise((r) => setTimeout(r, Math.min(UNDYING_NAP_MS, s.timing.cleanupSpacingMs)));
      }
    }
  } finally {
    await daemon.heartbeat('stopped').catch(() => undefined);
    await daemon.metrics.close();
    await db.close();
  }
}

async function dispatch(daemon: Daemon, cli: BootstraxCli): Promise<void> {
  const c = cli.command;
  if (c.kind === 'loop') return daemon.loop();
  if (c.kind === 'fail') return daemon.manualFail(c.run, c.reason);
  if (c.kind === 'abandon') return daemon.manualAbandon(c.run, c.reason);
  const outcome = await daemon.processOne(c.run);
  daemon.log.info(`run ${c.run}: ${outcome}`);
}
