// The DAQReader's last step: records of all channels → one array per part of the detector, by
// the channel map (subdetector → [first, last] channel), with times moved from "ns since the
// run start" to ns since the epoch. The map's order decides nothing here because its ranges
// may not overlap; a channel in no range is bad data (straxen only caught channels below or
// between ranges; one above every range corrupted its output).

import type { DType } from '../../core/dtype.js';
import { Records } from '../../core/records.js';
import { timeOffsets, timesFromOffsets } from '../../core/int64-time.js';
import { LiveDataError } from './live-data-layout.js';

export type ChannelMap = Readonly<Record<string, readonly [number, number] | readonly number[]>>;

/** Output data type of a channel-map entry (null: a 'blank' range, whose data is dropped). */
export function outputOfSubdetector(name: string): string | null {
  if (name.endsWith('blank')) return null;
  if (name === 'tpc') return 'raw_records';
  if (name.startsWith('nveto')) return 'raw_records_nv';
  return `raw_records_${name}`;
}

/** Number of channels the map covers (the DAQReader looks back one record length per channel). */
export function channelCount(map: ChannelMap): number {
  let n = 0;
  for (const [lo, hi] of Object.values(map)) n += hi! - lo! + 1;
  return n;
}

/** channel → index of its subdetector (-1: none). */
function channelLookup(map: ChannelMap): Int16Array {
  const ranges = Object.entries(map);
  let max = -1;
  for (const [name, r] of ranges) {
    if (r.length !== 2 || !Number.isInteger(r[0]) || !Number.isInteger(r[1]) || r[0]! < 0 || r[1]! < r[0]!)
      throw new LiveDataError(
        `channel_map: '${name}' must be [first, last] channel, got ${JSON.stringify(r)}`,
      );
    max = Math.max(max, r[1]!);
  }
  const lut = new Int16Array(max + 1).fill(-1);
  ranges.forEach(([name, [lo, hi]], d) => {
    for (let c = lo!; c <= hi!; c++) {
      if (lut[c] !== -1)
        throw new LiveDataError(`channel_map: '${name}' overlaps '${ranges[lut[c]!]![0]}' at channel ${c}`);
      lut[c] = d;
    }
  });
  return lut;
}

/**
 * Split parts (each sorted; together in time order) by subdetector. Each subdetector's times are
 * shifted by the run start rounded down to its first record's sample width, as straxen does.
 * `where(part)` names the folder a bad record of that part came from.
 */
export function splitByChannelMap(
  parts: readonly Records[],
  dtype: DType,
  map: ChannelMap,
  t0: bigint,
  where: (part: number) => string,
): Map<string, Records> {
  const names = Object.keys(map);
  const lut = channelLookup(map);
  const counts = new Array<number>(names.length).fill(0);
  const firstDt = new Array<number>(names.length).fill(0);
  const which = parts.map((p, pi) => {
    const ch = p.i16('channel'),
      dt = p.i16('dt');
    const w = new Int16Array(p.length);
    for (let i = 0; i < p.length; i++) {
      const c = ch[i]!;
      const d = c >= 0 && c < lut.length ? lut[c]! : -1;
      if (d < 0)
        throw new LiveDataError(
          `Bad data from DAQ in ${where(pi)}: a record in channel ${c}, which is in no range of the channel_map`,
        );
      if (counts[d] === 0) {
        if (dt[i]! <= 0)
          throw new LiveDataError(
            `Bad data from DAQ in ${where(pi)}: a record of channel ${c} has dt ${dt[i]}`,
          );
        firstDt[d] = dt[i]!;
      }
      counts[d]!++;
      w[i] = d;
    }
    return w;
  });
  const out = new Map<string, Records>();
  names.forEach((name, d) => {
    const output = outputOfSubdetector(name);
    if (output === null) return;
    const pieces = parts.map((p, pi) => rowsOf(p, which[pi]!, d));
    const rows = Records.concat(pieces, dtype);
    if (rows.length === 0) {
      out.set(output, rows);
      return;
    }
    const dt = BigInt(firstDt[d]!);
    const time = timesFromOffsets(timeOffsets(rows.i64('time'), 0n), dt * (t0 / dt));
    out.set(output, new Records(dtype, rows.length, { ...rows.columns, time }));
  });
  return out;
}

/** The rows of part p that belong to subdetector d (p itself when all do). */
function rowsOf(p: Records, which: Int16Array, d: number): Records {
  let n = 0;
  for (let i = 0; i < which.length; i++) if (which[i] === d) n++;
  if (n === p.length) return p;
  const idx = new Int32Array(n);
  for (let i = 0, k = 0; i < which.length; i++) if (which[i] === d) idx[k++] = i;
  return p.take(idx);
}
