import { describe, expect, it } from 'vitest';
import {
  columnName,
  hitArrays,
  hitRecords,
  rawRecordColumns,
  recordsFromColumns,
  peaksFromRecords,
  peaksToRecords,
} from '../../src/core/kernel-columns.js';
import { DType } from '../../src/core/dtype.js';
import { Records } from '../../src/core/records.js';
import {
  hitDtype,
  peakDtype,
  rawRecordDtype,
  rawRecordFields,
  recordDtype,
} from '../../src/core/standard-dtypes.js';
import { emptyRecords } from '../../src/kernels/pulse-processing.js';
import { allocHits } from '../../src/kernels/hit-arrays.js';
import { allocPeaks } from '../../src/kernels/peak-arrays.js';

describe('the Records <-> kernel-array boundary', () => {
  it('names a kernel field by its strax column', () => {
    expect(['areaFractionTop', 'nSaturatedChannels', 'recordI', 'maxTime', 'dt'].map(columnName)).toEqual([
      'area_fraction_top',
      'n_saturated_channels',
      'record_i',
      'max_time',
      'dt',
    ]);
  });

  it('fills every field of the peak dtype from the peak kernels, and reads them back', () => {
    const dtype = peakDtype({ nChannels: 3, storeDataTop: true, storeDataStart: true });
    const p = allocPeaks(
      { nChannels: 3, nSamples: 200, nWidths: 11, withDataTop: true, withDataStart: true },
      2,
    );
    p.time.set([10, 20]);
    p.area.set([1.5, 2.5]);
    p.areaPerChannel.set([1, 2, 3, 4, 5, 6]);
    const rows = peaksToRecords(p, dtype, 1000n);
    expect(Array.from(rows.i64('time'))).toEqual([1010n, 1020n]);
    expect(Array.from(rows.f32('area_per_channel'))).toEqual([1, 2, 3, 4, 5, 6]);
    const back = peaksFromRecords(rows, 1000n);
    expect(Array.from(back.time)).toEqual([10, 20]);
    expect(Array.from(back.area)).toEqual([1.5, 2.5]);
  });

  it('peak dtype and kernel peaks come from one schema: every field, same types, for every layout', () => {
    for (const storeDataTop of [false, true])
      for (const storeDataStart of [false, true])
        for (const hitsTiming of [false, true]) {
          const dtype = peakDtype({
            nChannels: 4,
            nSumWvSamples: 8,
            nWidths: 3,
            storeDataTop,
            storeDataStart,
            hitsTiming,
          });
          const p = allocPeaks(
            {
              nChannels: 4,
              nSamples: 8,
              nWidths: 3,
              withDataTop: storeDataTop,
              withDataStart: storeDataStart,
            },
            1,
          );
          const rows = peaksToRecords(p, dtype, 0n);
          for (const { name, type } of dtype.fields) {
            const kernel = (p as unknown as Record<string, unknown>)[
              name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
            ];
            // shared, not converted (int64 times excepted)
            if (type !== '<i8') expect(rows.col(name), name).toBe(kernel);
          }
        }
  });

  it('refuses a dtype field the peak kernels do not compute, naming it', () => {
    const dtype = DType.merge([peakDtype({ nChannels: 2 }), DType.of([{ name: 'foo', type: '<f4' }])]);
    const p = allocPeaks(
      { nChannels: 1, nSamples: 200, nWidths: 11, withDataTop: false, withDataStart: false },
      0,
    );
    expect(() => peaksToRecords(p, dtype, 0n)).toThrow("peak dtype field 'foo' is not computed");
    expect(peaksToRecords(p, dtype, 0n, { foo: new Float32Array(0) }).length).toBe(0);
  });

  it('round-trips hits between stored columns and the kernels view', () => {
    const h = allocHits(2);
    h.n = 2;
    h.time.set([5, 7]);
    h.maxTime.set([6, 9]);
    h.leftIntegration.set([1, 2]);
    h.recordI.set([3, 4]);
    const rows = hitRecords(h, 100n, hitDtype());
    expect(Array.from(rows.i64('time'))).toEqual([105n, 107n]);
    expect(Array.from(rows.i64('max_time'))).toEqual([106n, 109n]);
    expect(Array.from(rows.i16('left_integration'))).toEqual([1, 2]);
    const again = hitArrays(rows, 100n);
    expect(again.n).toBe(2);
    expect(Array.from(again.time)).toEqual([5, 7]);
    expect(Array.from(again.recordI)).toEqual([3, 4]);
  });

  it('round-trips raw records and records, times as offsets from the base', () => {
    const raw = Records.fromColumns(rawRecordDtype(4), 2, {
      time: [1_000_000_000_000_000_010n, 1_000_000_000_000_000_020n],
      length: [4, 2],
      dt: [10, 10],
      channel: [3, 1],
      data: [1, 2, 3, 4, 5, 6, 0, 0],
    });
    const view = rawRecordColumns(raw, 1_000_000_000_000_000_000n);
    expect(Array.from(view.time)).toEqual([10, 20]);
    expect(view.data).toBe(raw.col('data'));
    const r = emptyRecords(2, 4);
    r.time.set(view.time);
    r.channel.set(view.channel);
    const rows = recordsFromColumns(r, recordDtype(4), 1_000_000_000_000_000_000n);
    expect(Array.from(rows.i64('time'))).toEqual(Array.from(raw.i64('time')));
    expect(Array.from(rows.i16('channel'))).toEqual([3, 1]);
  });

  it('refuses a stored column of another type than the kernels read', () => {
    const fields = rawRecordFields(4).map((f) => (f.name === 'dt' ? { ...f, type: '<i4' } : f));
    const wrong = Records.empty(DType.of(fields), 1);
    expect(() => rawRecordColumns(wrong, 0n)).toThrow("field 'dt' is <i4, not the kernels' Int16Array");
  });
});
