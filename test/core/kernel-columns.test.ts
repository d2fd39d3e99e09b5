import { describe, expect, it } from 'vitest';
import {
  columnName,
  hitArraysFromColumns,
  hitColumnsFromArrays,
  hitRecords,
  peaksFromRecords,
  peaksToRecords,
} from '../../src/core/kernel-columns.js';
import { DType } from '../../src/core/dtype.js';
import { hitDtype, peakDtype } from '../../src/core/standard-dtypes.js';
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
    const cols = hitColumnsFromArrays(h, 100n);
    expect(Array.from(cols.time)).toEqual([105n, 107n]);
    expect(Array.from(cols.max_time)).toEqual([106n, 109n]);
    expect(Array.from(cols.left_integration)).toEqual([1, 2]);
    const again = hitArraysFromColumns(cols, 100n);
    expect(Array.from(again.time)).toEqual([5, 7]);
    expect(Array.from(again.recordI)).toEqual([3, 4]);
    expect(hitRecords(h, 100n, hitDtype()).length).toBe(2);
  });
});
