// straxts simulate RUN --duration 10s: a simulated TPC run's raw_records, ready for straxer.

import type { Command } from 'commander';
import { openRunDb } from '../../rundb/rundb.js';
import { defaultRunStart, simulateAndStore } from '../../daq/simulator/store-run.js';
import { DurationSyntaxError, parseDuration as parseSimDuration } from '../../daq/simulator/duration.js';
import { UserError } from '../user-error.js';

/** A positive duration in ns (10s, 500ms, 2m). */
export function parseDuration(text: string): number {
  try {
    return parseSimDuration(text);
  } catch (e) {
    if (e instanceof DurationSyntaxError) throw new UserError(e.message);
    throw e;
  }
}

/** --rate events=15,dark=20,se=30 */
export function parseRates(text: string): {
  eventRateHz?: number;
  darkRateHz?: number;
  singleElectronRateHz?: number;
} {
  const out: Record<string, number> = {};
  const names: Record<string, string> = {
    events: 'eventRateHz',
    dark: 'darkRateHz',
    se: 'singleElectronRateHz',
  };
  for (const part of text.split(',')) {
    const [k, v] = part.split('=');
    const name = names[k?.trim() ?? ''];
    const value = Number(v);
    if (!name || v === undefined || !Number.isFinite(value) || value < 0) {
      throw new UserError(`cannot read rate '${part}'; write e.g. --rate events=15,dark=20,se=30 (Hz)`);
    }
    out[name] = value;
  }
  return out;
}

export function parseStart(text: string | undefined, runNumber: number): bigint {
  if (text === undefined) return defaultRunStart(runNumber);
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new UserError(`cannot read start time '${text}'; use ISO 8601, e.g. 2026-01-01T00:00:00Z`);
  return BigInt(ms) * 1_000_000n;
}

export function register(program: Command): void {
  program
    .command('simulate')
    .description(
      'simulate a XENONnT-like TPC run: raw_records, run metadata, ground truth, runs-database entry',
    )
    .argument('<run>', 'run id, e.g. 000001')
    .option('--duration <time>', 'run length (e.g. 10s, 2m)', '10s')
    .option('--rate <rates>', 'signal rates in Hz: events=15,dark=20,se=30')
    .option('--seed <n>', 'random seed (same seed, same data)', '1')
    .option('--start <iso>', 'run start (default: fixed per run number)')
    .option('--no-big-event', 'leave out the one very large saturating event')
    .option('-o, --output <dir>', 'data directory', './strax_data')
    .option('--rundb <url>', 'runs database (default: $STRAXTS_RUNDB or <output>/rundb.sqlite)')
    .option('--no-rundb', 'do not register the run in a runs database')
    .action(
      async (
        run: string,
        opts: {
          duration: string;
          rate?: string;
          seed: string;
          start?: string;
          bigEvent: boolean;
          output: string;
          rundb?: string | false;
        },
      ) => {
        if (!/^[A-Za-z0-9_]+$/.test(run))
          throw new UserError(`run id '${run}' may only hold letters, digits and '_'`);
        const seed = Number(opts.seed);
        if (!Number.isInteger(seed) || seed < 0)
          throw new UserError(`--seed must be a non-negative integer, got '${opts.seed}'`);
        const durationNs = parseDuration(opts.duration);
        const rates = opts.rate ? parseRates(opts.rate) : {};
        const runStartNs = parseStart(opts.start, Number(run));
        const db = opts.rundb === false ? undefined : await openRunDb(opts.rundb, opts.output);
        const t0 = performance.now();
        try {
          const stored = await simulateAndStore({
            runId: run,
            dataDir: opts.output,
            rundb: db,
            durationNs,
            runStartNs,
            seed,
            bigEvent: opts.bigEvent,
            ...rates,
            onChunk: (c) =>
              process.stderr.write(`  chunk ${String(c.start)}–${String(c.end)}: ${c.length} raw_records\n`),
          });
          const s = (performance.now() - t0) / 1000;
          const events = stored.truth.filter((t) => t.kind === 'event').length;
          process.stdout.write(
            `simulated run ${run}: ${(durationNs / 1e9).toFixed(1)} s, ${events} events, ${stored.rows} raw_records ` +
              `(${(stored.bytes / 1e6).toFixed(1)} MB) in ${stored.chunks} chunks, ${s.toFixed(1)} s\n` +
              `  saved to ${stored.folder}${db ? `\n  registered in ${db.display}` : ''}\n`,
          );
        } catch (e) {
          if (e instanceof Error && /already has raw_records/.test(e.message)) throw new UserError(e.message);
          throw e;
        } finally {
          await db?.close();
        }
      },
    );
}
