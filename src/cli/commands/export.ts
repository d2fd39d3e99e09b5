// straxts export DIR RUN TYPE --out FILE: rows as .npy (np.load gives strax's array), .csv or .jsonl.

import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { DType } from '../../core/dtype.js';
import { loadAllWithMetadata } from '../../storage/load-all.js';
import { writeNpy } from '../../storage/npy.js';
import { writeCsv, writeJsonl } from '../../storage/text-export.js';
import { UserError } from '../user-error.js';

const FORMATS = ['npy', 'csv', 'jsonl'] as const;
type Format = (typeof FORMATS)[number];

function formatOf(out: string, given?: string): Format {
  if (given) {
    if (!(FORMATS as readonly string[]).includes(given))
      throw new UserError(`unknown format '${given}'; use one of ${FORMATS.join(', ')}`);
    return given as Format;
  }
  if (/\.npy(\.gz)?$/.test(out)) return 'npy';
  if (out.endsWith('.csv')) return 'csv';
  if (out.endsWith('.jsonl')) return 'jsonl';
  throw new UserError(
    `cannot tell the format of '${out}'; name it .npy, .npy.gz, .csv or .jsonl, or pass --format`,
  );
}

function parseNs(text: string, what: string): bigint {
  if (!/^-?\d+$/.test(text))
    throw new UserError(`${what} must be an integer time in ns since the epoch, got '${text}'`);
  return BigInt(text);
}

export function register(program: Command): void {
  program
    .command('export')
    .description('export one stored data type to .npy, .csv or .jsonl')
    .argument('<dir>', 'data directory')
    .argument('<run>', 'run id')
    .argument('<type>', 'data type')
    .requiredOption('-o, --out <file>', 'output file (.npy, .npy.gz, .csv, .jsonl)')
    .option('--format <format>', 'npy, csv or jsonl (default: from the file name)')
    .option('--hash <hash>', 'lineage hash (when several are stored)')
    .option('--time-range <ns...>', 'START END in ns since the epoch: rows fully inside [START, END)')
    .option(
      '--no_titles',
      "leave out the field descriptions: a short .npy header that numpy 2's np.load reads without max_header_size",
    )
    .action(
      async (
        path: string,
        run: string,
        type: string,
        opts: { out: string; format?: string; hash?: string; timeRange?: string[]; no_titles?: boolean },
      ) => {
        if (!existsSync(path)) throw new UserError(`no such directory: ${path}`);
        const format = formatOf(opts.out, opts.format);
        let timeRange: [bigint, bigint] | undefined;
        if (opts.timeRange) {
          if (opts.timeRange.length !== 2)
            throw new UserError('--time-range takes two values: START END (ns)');
          timeRange = [parseNs(opts.timeRange[0]!, 'START'), parseNs(opts.timeRange[1]!, 'END')];
          if (timeRange[1] <= timeRange[0]) throw new UserError('--time-range: END must be after START');
        }
        const load = { ...(opts.hash ? { hash: opts.hash } : {}), ...(timeRange ? { timeRange } : {}) };
        let { records } = await loadAllWithMetadata(path, run, type, load);
        if (opts.no_titles) {
          const untitled = records.dtype.fields.map((f) => ({ ...f, title: null }));
          records = records.withDType(new DType(untitled, records.dtype.itemsize));
        }
        if (format === 'npy') writeNpy(opts.out, records);
        else if (format === 'csv') await writeCsv(opts.out, records);
        else await writeJsonl(opts.out, records);
        process.stderr.write(`wrote ${records.length} rows of ${type} to ${opts.out}\n`);
      },
    );
}
