// A crash late in a run costs only what was not yet written: straxer killed with SIGKILL once
// ~80 % of the raw_records are processed, then run again, says it resumes, reads only the last
// raw_records chunks, and ends with exactly the files of an uninterrupted run (rows and chunk
// boundaries of every data type down to event_info_double).

import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { metadataFileName, readMetadata } from '../../src/storage/metadata.js';
import { mirroredUntil } from '../../src/storage/pending-spill.js';
import { ensureBuilt, startTool } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { compareDataDirs, dataFolders, simulate } from './simulated-helpers.js';

beforeAll(() => ensureBuilt(), 600_000);

const RUN = '000403';
const SIM = ['--duration', '20s', '--seed', '33'];
const COUNT_READS = join(dirname(fileURLToPath(import.meta.url)), '..', 'helpers', 'count-reads.mjs');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** straxer with the raw_records chunk files it reads counted. */
function straxer(cwd: string, countFile: string): ReturnType<typeof startTool> {
  return startTool('straxer', [RUN, '--target', 'event_info_double', '--add_folder', 'out'], cwd, {
    nodeArgs: ['--import', COUNT_READS],
    env: { STRAXTS_COUNT_READS: countFile },
  });
}

const count = (file: string): number => Number(readFileSync(file, 'utf8'));

/** Per data folder: its chunk boundaries and row counts, from the metadata. */
function chunkTable(dir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const folder of dataFolders(dir)) {
    const [, type, hash] = folder.split('-');
    const md = readMetadata(join(dir, folder, metadataFileName(type!, hash!)));
    out[folder] = md.chunks.map((c) => `${c.chunkI}: [${c.start}, ${c.end}) ${c.n} rows ${c.filename ?? ''}`);
  }
  return out;
}

describe('straxer killed at 80 % of a run, then run again', () => {
  it('resumes after the kept part, reads only the rest of raw_records, and equals an uninterrupted run', async () => {
    const cwdA = tempDir('straxts-resume-late-a-');
    const raw = join(cwdA, 'strax_data');
    await simulate(RUN, raw, SIM, cwdA);
    const cwdB = tempDir('straxts-resume-late-b-');
    cpSync(raw, join(cwdB, 'strax_data'), { recursive: true });
    const rr = readdirSync(raw).find((f) => f.startsWith(`${RUN}-raw_records-`))!;
    const rrMd = readMetadata(join(raw, rr, metadataFileName('raw_records', rr.split('-')[2]!)));
    const [start, end, nChunks] = [rrMd.chunks[0]!.start, rrMd.chunks.at(-1)!.end, rrMd.chunks.length];

    // The uninterrupted run.
    const whole = await straxer(cwdA, join(cwdA, 'reads')).done;
    expect(whole.code, whole.stdout + whole.stderr).toBe(0);
    expect(count(join(cwdA, 'reads'))).toBe(nChunks);

    // The same, killed once the outputs hold 80 % of the run (watching what the savers wrote).
    const outB = join(cwdB, 'out');
    const job = straxer(cwdB, join(cwdB, 'reads-killed'));
    let exited = false;
    void job.done.then(() => (exited = true));
    const progress = (): number => {
      let least: bigint | null = null;
      if (!existsSync(outB)) return 0;
      for (const f of dataFolders(outB).filter((d) => d.includes('-pulse_counts-') && d.endsWith('_temp'))) {
        const t = mirroredUntil(join(outB, f));
        if (t !== null && (least === null || t < least)) least = t;
      }
      return least === null ? 0 : Number(least - start) / Number(end - start);
    };
    const deadline = Date.now() + 300_000;
    while (!exited && progress() < 0.8 && Date.now() < deadline) await sleep(20);
    const at = progress();
    job.child.kill('SIGKILL');
    const killed = await job.done;
    expect(killed.signal, `straxer ended before it could be killed:\n${killed.stdout}`).toBe('SIGKILL');
    console.log(`killed at ${(100 * at).toFixed(0)} % of the run`);
    expect(dataFolders(outB).every((f) => f.endsWith('_temp'))).toBe(true);

    // Run again: one line says it resumes, and only the raw_records chunks after the kept part
    // (less one or two for the history of overlap windows) are read.
    const again = await straxer(cwdB, join(cwdB, 'reads-again')).done;
    expect(again.stderr).toBe('');
    expect(again.code, again.stdout).toBe(0);
    const said = again.stdout.split('\n').filter((l) => / resuming /.test(l));
    expect(said, said.join('\n')).toHaveLength(1);
    expect(said[0]).toMatch(/resuming run 000403 .* loading raw_records from chunk \d+/);
    const from = Number(/from chunk (\d+)/.exec(said[0]!)![1]);
    const reads = count(join(cwdB, 'reads-again'));
    console.log(`${said[0]!.replace(/^.* - /, '')}\nread ${reads} of ${nChunks} raw_records chunks`);
    expect(reads).toBe(nChunks - from);
    // Kept up to K s (the outputs furthest behind): the chunks from there on, and at most three
    // before (overlap windows' history, one more for safety); at most half of the run.
    const keptS = Number(/kept up to ([\d.]+) s/.exec(said[0]!)![1]);
    expect(reads).toBeLessThanOrEqual(
      nChunks - Math.floor((keptS * nChunks) / Number((end - start) / 1_000_000_000n)) + 3,
    );
    expect(reads).toBeLessThanOrEqual(nChunks / 2);

    // Exactly the uninterrupted run's data: same folders, files, chunk boundaries and rows.
    const outA = join(cwdA, 'out');
    expect(dataFolders(outB)).toEqual(dataFolders(outA));
    expect(dataFolders(outB).some((f) => f.includes('-event_info_double-'))).toBe(true);
    expect(chunkTable(outB)).toEqual(chunkTable(outA));
    for (const { folder, agreement } of await compareDataDirs(outA, outB, RUN))
      expect(agreement.ok, `${folder} differs from the uninterrupted run`).toBe(true);
    for (const folder of dataFolders(outA))
      expect(readdirSync(join(outB, folder)).sort(), folder).toEqual(readdirSync(join(outA, folder)).sort());
  }, 300_000);
});
