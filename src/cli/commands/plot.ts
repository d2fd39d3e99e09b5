// straxts plot RUN TYPE --out F.svg|png: a figure of stored data for reports, drawn by the
// viewer's drawing code (src/web/plot-report.ts).

import type { Command } from 'commander';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { NoBrowser, svgToPng } from '../../web/svg-png.js';
import { PlotError, plotSvg } from '../../web/plot-report.js';
import { UserError } from '../user-error.js';

function parseNs(text: string, what: string): bigint {
  if (!/^-?\d+$/.test(text))
    throw new UserError(`${what} must be an integer time in ns since the epoch, got '${text}'`);
  return BigInt(text);
}

function pixels(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 100 || n > 8000)
    throw new UserError(`${what} must be 100 to 8000 pixels, got '${text}'`);
  return n;
}

/** Write next to the target, then rename: a half-written figure never has the final name. */
function writeAtomically(path: string, bytes: string | Buffer): void {
  const temp = `${path}._temp`;
  writeFileSync(temp, bytes);
  renameSync(temp, path);
}

export function register(program: Command): void {
  program
    .command('plot')
    .description(
      'draw stored peaks, peak waveforms or records as .svg or .png (as the microstrax viewer does)',
    )
    .argument('<run>', 'run id')
    .argument('<type>', 'data type: peak_basics, peaks, records, raw_records')
    .requiredOption('-o, --out <file>', 'output figure, .svg or .png (png: rendered by headless chromium)')
    .option('-d, --dir <dir>', 'data directory', './strax_data')
    .option('--hash <hash>', 'lineage hash (when several are stored)')
    .option('--time-range <ns...>', 'START END in ns since the epoch: rows fully inside [START, END)')
    .option('--width <px>', 'figure width', '900')
    .option('--height <px>', 'figure height', '560')
    .action(
      async (
        run: string,
        type: string,
        opts: {
          out: string;
          dir: string;
          hash?: string;
          timeRange?: string[];
          width: string;
          height: string;
        },
      ) => {
        const png = opts.out.endsWith('.png');
        if (!png && !opts.out.endsWith('.svg'))
          throw new UserError(`--out ${opts.out}: name the figure .svg or .png`);
        if (!existsSync(opts.dir)) throw new UserError(`no such directory: ${opts.dir} (--dir)`);
        const size = { width: pixels(opts.width, '--width'), height: pixels(opts.height, '--height') };
        let timeRange: [bigint, bigint] | undefined;
        if (opts.timeRange) {
          if (opts.timeRange.length !== 2)
            throw new UserError('--time-range takes two values: START END (ns)');
          timeRange = [parseNs(opts.timeRange[0]!, 'START'), parseNs(opts.timeRange[1]!, 'END')];
          if (timeRange[1] <= timeRange[0]) throw new UserError('--time-range: END must be after START');
        }
        let figure: { svg: string; rows: number };
        try {
          figure = await plotSvg({
            dir: opts.dir,
            runId: run,
            dataType: type,
            size,
            ...(opts.hash ? { hash: opts.hash } : {}),
            ...(timeRange ? { timeRange } : {}),
          });
        } catch (e) {
          if (e instanceof PlotError) throw new UserError(e.message);
          throw e;
        }
        if (png) {
          try {
            writeAtomically(opts.out, await svgToPng(figure.svg, size.width, size.height));
          } catch (e) {
            if (e instanceof NoBrowser) throw new UserError(e.message);
            throw e;
          }
        } else writeAtomically(opts.out, figure.svg);
        process.stderr.write(`drew ${figure.rows} rows of ${type} to ${opts.out}\n`);
      },
    );
}
