// Options every DAQ tool shares: the runs database, this host's name, and its folders
// (straxen's fixed paths as defaults).

import type { Command } from 'commander';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { DAQ_FOLDERS, type DaqFolders } from '../daq/daq-folders.js';
import { RUNDB_ENV } from '../rundb/names.js';
import { UserError } from './user-error.js';

export interface DaqCliOptions {
  rundb?: string;
  hostname?: string;
  live_dir: string;
  pre_processed_dir: string;
  processed_dir: string;
  unregistered_dir: string;
}

export function addDaqOptions(cmd: Command): Command {
  return cmd
    .option('--rundb <url>', `runs database: sqlite:PATH or postgres://... (default: $${RUNDB_ENV})`)
    .option('--hostname <name>', 'this host as data entries name it (default: the OS host name)')
    .option('--live_dir <dir>', 'live_data folder (one folder per run)', DAQ_FOLDERS.live)
    .option('--pre_processed_dir <dir>', "bootstrax's output folder", DAQ_FOLDERS.preProcessed)
    .option('--processed_dir <dir>', "restrax's output folder (uploaded from here)", DAQ_FOLDERS.processed)
    .option(
      '--unregistered_dir <dir>',
      'where folders nobody registered are moved',
      DAQ_FOLDERS.unregistered,
    );
}

export function daqFolders(o: DaqCliOptions): DaqFolders {
  return {
    live: resolve(o.live_dir),
    preProcessed: resolve(o.pre_processed_dir),
    processed: resolve(o.processed_dir),
    unregistered: resolve(o.unregistered_dir),
    testProcessed: resolve(DAQ_FOLDERS.testProcessed),
  };
}

export function daqHostname(o: DaqCliOptions): string {
  return o.hostname ?? hostname();
}

/** The runs database URL; a DAQ tool never falls back to a local file. */
export function daqRunDbUrl(o: DaqCliOptions, tool: string): string {
  const url = o.rundb ?? process.env[RUNDB_ENV];
  if (!url) throw new UserError(`${tool} needs the runs database: pass --rundb URL or set ${RUNDB_ENV}`);
  return url;
}

/** A whole number option (e.g. --number); `what` names it in the message. */
export function parseWholeNumber(text: string, what: string): number {
  if (!/^\d+$/.test(text.trim())) throw new UserError(`${what} must be a whole number, got '${text}'`);
  return Number(text);
}
