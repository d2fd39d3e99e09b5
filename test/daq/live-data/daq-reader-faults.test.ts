// The DAQReader on broken live_data: every fault is one clear error naming the folder (or file),
// and none of its outputs is left looking complete.

import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PluginError } from '../../../src/core/engine/errors.js';
import { Records } from '../../../src/core/records.js';
import { InputTimeoutExceeded, LiveDataError, writeLiveRun } from '../../../src/daq/live-data/index.js';
import { DataDirectory } from '../../../src/storage/data-directory.js';
import {
  ImpatientDAQReader,
  readLiveInProcess,
  storedOutput,
  streamOf,
  syntheticRecords,
} from './helpers.js';
import { tempDir } from '../../helpers/tmp.js';

const RUN = '004200';
const START = 1_765_100_000_000_000_000n;
const THREADS = { reader0_reader_0: 1, reader0_reader_1: 1, reader1_reader_0: 1 };
const TYPES = ['raw_records', 'raw_records_he', 'raw_records_aqmon'];

/** 5.5 s of sparse records as live_data: chunks of 1 s, overlaps of 0.25 s (000000 … 000004). */
async function liveRun(records: Records = syntheticRecords(START, 5.5e9, { seed: 7 })) {
  const root = tempDir('straxts-live-');
  const runDir = join(root, 'live', RUN);
  const s = await writeLiveRun([streamOf(records)], {
    runDir,
    runStart: START,
    settings: {
      chunkDuration: 1e9,
      overlapDuration: 2.5e8,
      threads: THREADS,
      compressor: 'lz4',
      recordLength: 110,
    },
  });
  return { runDir, config: s.daqConfigFile, out: join(root, 'out') };
}

async function readFails(run: Awaited<ReturnType<typeof liveRun>>): Promise<Error> {
  const err = await readLiveInProcess(RUN, run.runDir, run.config, run.out, {
    reader: ImpatientDAQReader,
  }).then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(err, 'reading should have failed').not.toBeNull();
  // Nothing looks complete: each output folder is absent, or a _temp, or records the failure.
  const dir = new DataDirectory(run.out, { create: false });
  for (const t of TYPES) {
    for (const key of dir.keysFor(RUN, t)) {
      expect(await dir.isStored(key)).toBe(false);
      expect(() => dir.metadata(key)).toThrow(/writing failed/);
    }
  }
  return err!;
}

describe('DAQReader faults', () => {
  it('reads the intact run (the baseline of the faults below)', async () => {
    const run = await liveRun();
    await readLiveInProcess(RUN, run.runDir, run.config, run.out, { reader: ImpatientDAQReader });
    expect((await storedOutput(run.out, RUN, 'raw_records')).ranges.length).toBe(5);
  });

  it('a corrupt file: names the file and the compressor', async () => {
    const run = await liveRun();
    const file = join(run.runDir, '000002', 'reader0_reader_1_0');
    writeFileSync(file, 'not an lz4 frame at all');
    const e = await readFails(run);
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/lz4-compressed/);
  });

  it('a file of an unknown readout thread: names the thread and the folder', async () => {
    const run = await liveRun();
    writeFileSync(join(run.runDir, '000001', 'reader7_reader_0_0'), '');
    const e = await readFails(run);
    expect(e.message).toContain(`${run.runDir}/000001`);
    expect(e.message).toContain("'reader7_reader_0'");
    expect(e.message).toMatch(/not in readout_threads/);
  });

  it('a thread with more files than readout_threads allows', async () => {
    const run = await liveRun();
    writeFileSync(join(run.runDir, '000001_post', 'reader0_reader_0_1'), '');
    const e = await readFails(run);
    expect(e.message).toMatch(/reader0_reader_0' wrote 2 files, but readout_threads gives it 1/);
  });

  for (const channel of [3000, 760, -3]) {
    it(`a record in channel ${channel} (in no range of the channel map)`, async () => {
      const r = syntheticRecords(START, 5.5e9, { seed: 7 });
      r.i16('channel')[r.length - 5] = channel;
      const run = await liveRun(r);
      const e = await readFails(run);
      expect(e.message).toContain(`channel ${channel}`);
      expect(e.message).toMatch(/in no range of the channel_map/);
      expect(e.message).toMatch(new RegExp(`${run.runDir}/00000\\d`));
    });
  }

  it('a record outside its folder window', async () => {
    const run = await liveRun();
    // The files of 000001 moved into 000003: start times outside 000003's window.
    rmSync(join(run.runDir, '000003'), { recursive: true });
    cpSync(join(run.runDir, '000001'), join(run.runDir, '000003'), { recursive: true });
    const e = await readFails(run);
    expect(e.message).toContain(`${run.runDir}/000003`);
    expect(e.message).toMatch(/should start in \[3750000000, 4750000000\)/);
  });

  it('a run that never gets THE_END: InputTimeoutExceeded naming what is missing', async () => {
    const run = await liveRun();
    rmSync(join(run.runDir, 'THE_END'), { recursive: true });
    const e = await readFails(run);
    expect(e).toBeInstanceOf(InputTimeoutExceeded);
    expect(e.message).toContain(`chunk 000004 in ${run.runDir}`);
    expect(e.message).toMatch(/000004_post missing; no complete THE_END/);
  });

  it('an incomplete folder is waited for while the run goes on', async () => {
    const run = await liveRun();
    rmSync(join(run.runDir, '000002', 'reader1_reader_0_0'));
    rmSync(join(run.runDir, 'THE_END'), { recursive: true });
    const e = await readFails(run);
    expect(e).toBeInstanceOf(InputTimeoutExceeded);
    expect(e.message).toMatch(/000002 2 of 3 files/);
  });

  it('an incomplete folder is read once the run has ended (threads may stop early)', async () => {
    const run = await liveRun();
    rmSync(join(run.runDir, '000004', 'reader1_reader_0_0'));
    await readLiveInProcess(RUN, run.runDir, run.config, run.out, { reader: ImpatientDAQReader });
    expect((await storedOutput(run.out, RUN, 'raw_records')).ranges.length).toBe(5);
  });

  it('a missing _post before the end: clear error, not a silently short run', async () => {
    const run = await liveRun();
    rmSync(join(run.runDir, '000001_post'), { recursive: true });
    const e = await readFails(run);
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toContain(
      `${run.runDir}: the run has ended (THE_END) but chunk 000001 cannot be read without 000001_post`,
    );
  });

  it('a missing _post while the run goes on: the timeout names it', async () => {
    const run = await liveRun();
    rmSync(join(run.runDir, '000000_post'), { recursive: true });
    rmSync(join(run.runDir, 'THE_END'), { recursive: true });
    const e = await readFails(run);
    expect(e).toBeInstanceOf(InputTimeoutExceeded);
    expect(e.message).toMatch(/chunk 000000 .*000000_post missing/);
  });

  it('a missing main folder with later chunks present', async () => {
    const run = await liveRun();
    rmSync(join(run.runDir, '000002'), { recursive: true });
    rmSync(join(run.runDir, '000002_pre'), { recursive: true });
    const e = await readFails(run);
    expect((e as PluginError).reason).toBeInstanceOf(LiveDataError);
    expect(e.message).toMatch(/000002 is missing while later chunks \(000003, 000004\) exist/);
  });

  it('no daq_input_dir: says how to set it', async () => {
    const run = await liveRun();
    const e = await readLiveInProcess(RUN, '', run.config, run.out).catch((x: unknown) => x as Error);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toMatch(/daq_input_dir.*--config_kwargs/);
  });

  it('a live_data folder that does not exist: the timeout says so', async () => {
    const run = await liveRun();
    const e = await readLiveInProcess(RUN, join(run.runDir, 'nope'), run.config, run.out, {
      reader: ImpatientDAQReader,
    }).catch((x: unknown) => x as Error);
    expect(e).toBeInstanceOf(InputTimeoutExceeded);
    expect((e as Error).message).toContain(
      `the live_data folder ${join(run.runDir, 'nope')}, which does not exist`,
    );
  });
});
