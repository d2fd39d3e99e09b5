// straxts export DIR RUN TYPE --out FILE: rows as .npy (np.load gives strax's array), .csv or
// .jsonl (each optionally .gz), streamed chunk by chunk (storage/export.ts).

import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { EXPORT_FORMATS, exportStored, formatOfName, type ExportFormat } from '../../storage/export.js';
import { UserError } from '../user-error.js';

function formatOf(out: string, given?: string): ExportFormat {
  const named = formatOfName(out);
  if (given) {
    if (!(EXPORT_FORMATS as readonly string[]).includes(given))
      throw new UserError(`unknown format '${given}'; use one of ${EXPORT_FORMATS.join(', ')}`);
    if (named !== null && named !== given)
      throw new UserError(
        `--format ${given} does not match the file name '${out}' (a .${named} name); rename the file or drop --format`,
      );
    return given as ExportFormat;
  }
  if (named) return named;
  throw new UserError(
    `cannot tell the format of '${out}'; name it .npy, .csv or .jsonl (each optionally .gz), or pass --format`,
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
    .description('export one stored data type to .npy, .csv or .jsonl (optionally .gz), in constant memory')
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
        const req = { dir: path, runId: run, dataType: type, out: opts.out, format };
        const { rows } = await exportStored({
          ...req,
          ...(opts.hash ? { hash: opts.hash } : {}),
          ...(timeRange ? { timeRange } : {}),
          ...(opts.no_titles ? { noTitles: true } : {}),
        });
        process.stderr.write(`wrote ${rows} rows of ${type} to ${opts.out}\n`);
      },
    );
}
