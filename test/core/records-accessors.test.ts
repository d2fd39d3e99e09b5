import { describe, expect, it } from 'vitest';
import { DType } from '../../src/core/dtype.js';
import { Records } from '../../src/core/records.js';

const DT = DType.of([
  { name: 'time', type: '<i8' },
  { name: 'channel', type: '<i2' },
  { name: 'area', type: '<f4' },
  { name: 'type', type: '|i1' },
  { name: 'ok', type: '|b1' },
]);

describe('Records typed accessors', () => {
  const r = Records.fromColumns(DT, 2, {
    time: [1n, 2n],
    channel: [3, 4],
    area: [0.5, 1.5],
    type: [1, 2],
    ok: [1, 0],
  });

  it('return the column of the field type', () => {
    expect(Array.from(r.i64('time'))).toEqual([1n, 2n]);
    expect(Array.from(r.i16('channel'))).toEqual([3, 4]);
    expect(Array.from(r.f32('area'))).toEqual([0.5, 1.5]);
    expect(Array.from(r.i8('type'))).toEqual([1, 2]);
    expect(Array.from(r.u8('ok'))).toEqual([1, 0]);
  });

  it('refuse to read a field as another type, naming the field and its type', () => {
    expect(() => r.i32('channel')).toThrow("field 'channel' is <i2, not int32");
    expect(() => r.i16('type')).toThrow("field 'type' is |i1, not int16");
    expect(() => r.f64('area')).toThrow("field 'area' is <f4, not float64");
    expect(() => r.i64('channel')).toThrow("field 'channel' is <i2, not int64");
    expect(() => r.f32('nope')).toThrow("no field 'nope'");
  });
});

describe('Records.ints', () => {
  it('reads integer fields of any width up to 32 bits and refuses others', () => {
    const r = Records.fromColumns(DT, 1, { time: [1n], channel: [7], area: [1], type: [2], ok: [1] });
    expect(Array.from(r.ints('channel'))).toEqual([7]);
    expect(Array.from(r.ints('type'))).toEqual([2]);
    expect(() => r.ints('area')).toThrow("field 'area' is <f4, not an integer of up to 32 bits");
    expect(() => r.ints('time')).toThrow("field 'time' is <i8, not an integer of up to 32 bits");
  });
});
