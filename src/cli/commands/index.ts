// The straxts subcommands: one module each. To add one, write commands/<name>.ts exporting
// `register(program)` and add it to this list.

import type { Command } from 'commander';
import * as batch from './batch.js';
import * as compare from './compare.js';
import * as exportCmd from './export.js';
import * as info from './info.js';
import * as ls from './ls.js';
import * as plot from './plot.js';
import * as runs from './runs.js';
import * as simulate from './simulate.js';
import * as summary from './summary.js';
import * as settings from './settings.js';
import * as versions from './versions.js';

export const COMMANDS: readonly { register(program: Command): void }[] = [
  ls,
  info,
  summary,
  exportCmd,
  simulate,
  compare,
  batch,
  versions,
  settings,
  plot,
  runs,
];
