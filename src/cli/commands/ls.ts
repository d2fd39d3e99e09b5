// straxts ls [DIR...]: what a data directory holds.

import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { DataDirectory } from '../../storage/data-directory.js';
import { formatBytes, formatTable } from '../table.js';
import { UserError } from '../user-error.js';

/** Where straxts simulate and straxer write by default. */
const DEMO_FOLDER = './strax_data';

/** The working directory if it holds strax data, else ./strax_data if that does. */
function defaultFolder(): string {
  const here = new DataDirectory('.', { readonly: true }).entries();
  if (here.length === 0 && existsSync(DEMO_FOLDER)) return DEMO_FOLDER;
  return '.';
}

export function register(program: Command): void {
  program
    .command('ls')
    .description('list the data stored in strax data directories')
    .argument('[dirs...]', `data directories (default: ., else ${DEMO_FOLDER} when . holds no strax data)`)
    .action((given: string[]) => {
      const dirs = given.length ? given : [defaultFolder()];
      if (!given.length) process.stderr.write(`listing ${dirs[0]}\n`);
      const rows: string[][] = [];
      for (const path of dirs) {
        if (!existsSync(path)) throw new UserError(`no such directory: ${path}`);
        for (const e of new DataDirectory(path, { readonly: true }).entries()) {
          const md = e.metadata;
          const n = md ? md.chunks.reduce((s, c) => s + c.n, 0) : 0;
          rows.push([
            ...(dirs.length > 1 ? [path] : []),
            e.key.runId,
            e.key.dataType,
            e.key.lineageHash,
            md ? String(md.chunks.length) : '?',
            md ? String(n) : '?',
            formatBytes(e.sizeOnDisk),
            md?.compressor ?? '?',
            e.complete ? 'yes' : `no (${e.problem})`,
          ]);
        }
      }
      const header = [
        ...(dirs.length > 1 ? ['directory'] : []),
        'run',
        'data type',
        'hash',
        'chunks',
        'rows',
        'size',
        'compressor',
        'complete',
      ];
      const off = dirs.length > 1 ? 1 : 0;
      if (rows.length === 0) process.stdout.write(`no strax data in ${dirs.join(', ')}\n`);
      else process.stdout.write(formatTable(header, rows, new Set([off + 3, off + 4, off + 5])) + '\n');
    });
}
