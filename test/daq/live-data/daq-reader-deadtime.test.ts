// An overlap so busy that it has no 1 µs gap: the DAQReader cuts 1 µs before its end anyway,
// drops the records that reach past the cut and marks the time with artificial deadtime on
// channel 799 in raw_records_aqmon, as straxen does.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Records } from '../../../src/core/records.js';
import { sortByTimeAndChannel } from '../../../src/plugins/raw_records/daq-overlap.js';
import { ARTIFICIAL_DEADTIME_CHANNEL, writeLiveRun } from '../../../src/daq/live-data/index.js';
import { readLiveInProcess, sha1, storedOutput, streamOf, syntheticRecords } from './helpers.js';
import { tempDir } from '../../helpers/tmp.js';

const RUN = '004300';
const T0 = 1_765_200_000_000_000_000n;
const C = 100_000_000; // 0.1 s chunks
const O = 1_000_000; // 1 ms overlaps

describe('DAQReader: overlap without a safe break', () => {
  it('cuts, drops what crosses the cut, and inserts straxen-style deadtime', async () => {
    const sparse = syntheticRecords(T0, 2.5 * C, { seed: 3, n: 400, channels: [1, 200, 600] });
    // Overlap 0 ([C, C+O)) gets a record every 900 ns, 1.1 µs long, on channel 5: never quiet.
    const dense = Records.empty(sparse.dtype, Math.floor(O / 900));
    for (let i = 0; i < dense.length; i++) {
      dense.i64('time')[i] = T0 + BigInt(C + i * 900);
      dense.i32('length')[i] = 110;
      dense.i16('dt')[i] = 10;
      dense.i16('channel')[i] = 5;
    }
    const sparseT = sparse.i64('time');
    const outside = sparse.filter(Array.from(sparseT, (t) => t < T0 + BigInt(C) || t >= T0 + BigInt(C + O)));
    const input = sortByTimeAndChannel(Records.concat([outside, dense]));

    const root = tempDir('straxts-live-');
    const runDir = join(root, RUN);
    const s = await writeLiveRun([streamOf(input)], {
      runDir,
      runStart: T0,
      settings: {
        chunkDuration: C,
        overlapDuration: O,
        threads: { r_0: 2 },
        compressor: 'zstd',
        recordLength: 110,
      },
    });
    const out = join(root, 'out');
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      await readLiveInProcess(RUN, runDir, s.daqConfigFile, out);
      await new Promise((r) => setImmediate(r)); // warnings are delivered on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    const dead = warnings.filter((w) => w.name === 'ArtificialDeadtimeInserted');
    expect(dead.length).toBe(1);
    expect(dead[0]!.message).toContain(`${runDir}/000000_post has no quiet gap of 1000 ns`);

    const cut = T0 + BigInt(C + O - 1000);
    const rr = await storedOutput(out, RUN, 'raw_records');
    expect(rr.ranges[0]![1]).toBe(cut);
    expect(rr.ranges[1]![0]).toBe(cut);

    // raw_records: the input's TPC records that end by the cut or start in a later main chunk.
    const tIn = input.i64('time');
    const len = input.i32('length');
    const ch = input.i16('channel');
    const expected = input.filter(
      Array.from(ch, (_c, i) => {
        const rel = Number(tIn[i]! - T0);
        const e = rel + len[i]! * 10;
        const inOverlap0 = rel >= C && rel < C + O;
        return ch[i]! <= 493 && (!inOverlap0 || e <= Number(cut - T0));
      }),
    );
    expect(rr.records.length).toBe(expected.length);
    expect(rr.records.length).toBeLessThan(input.filter(Array.from(ch, (c) => c <= 493)).length);
    // Times back in ns since the epoch, rows as the input's.
    expect(sha1(rr.records)).toBe(sha1(expected));

    // raw_records_aqmon: exactly the two deadtime records.
    const aq = (await storedOutput(out, RUN, 'raw_records_aqmon')).records;
    expect(aq.length).toBe(2);
    expect(aq.row(0)).toMatchObject({
      time: cut - 1100n,
      length: 110,
      dt: 10,
      channel: ARTIFICIAL_DEADTIME_CHANNEL,
    });
    expect(aq.row(1)).toMatchObject({ time: cut, length: 100, dt: 10, channel: ARTIFICIAL_DEADTIME_CHANNEL });
  });
});
