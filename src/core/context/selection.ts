// Selections applied to loaded or computed chunks: time ranges (strax apply_time_range on
// chunks, then fully_contained/touching on rows), a selection expression, keep/drop columns.

import { CannotSplit, Chunk, endtimes } from '../chunk.js';
import type { Records } from '../records.js';
import { selectionMask } from './expression.js';

export type TimeSelection = 'fully_contained' | 'touching' | 'skip';

export interface Selection {
  timeRange?: readonly [bigint, bigint];
  timeSelection?: TimeSelection;
  /** Expression(s) over fields, e.g. 'area > 100 & n_hits >= 3', or a mask function. */
  selection?: string | readonly string[] | ((r: Records) => ArrayLike<number | boolean>);
  keepColumns?: readonly string[];
  dropColumns?: readonly string[];
}

/** Trim a chunk to a time range as strax's loader does (untrimmed end if no clean cut exists). */
export function trimChunk(c: Chunk, [start, stop]: readonly [bigint, bigint]): Chunk {
  if (c.start < start) c = c.split(start, true)[1];
  if (c.end > stop) {
    try {
      c = c.split(stop, false)[0];
    } catch (e) {
      if (!(e instanceof CannotSplit)) throw e;
    }
  }
  return c;
}

export function hasRowSelection(s: Selection): boolean {
  return (
    !!(s.timeRange && s.timeSelection !== 'skip') ||
    s.selection !== undefined ||
    !!s.keepColumns ||
    !!s.dropColumns
  );
}

/** strax apply_selection, in its order: time, selection, columns. */
export function applySelection(r: Records, s: Selection): Records {
  if (s.keepColumns && s.dropColumns) throw new Error('give keepColumns or dropColumns, not both');
  if (s.timeRange && s.timeSelection !== 'skip') {
    const [a, b] = s.timeRange;
    const t = r.i64('time'),
      e = endtimes(r);
    const mode = s.timeSelection ?? 'fully_contained';
    const mask = new Uint8Array(r.length);
    if (mode === 'fully_contained') for (let i = 0; i < r.length; i++) mask[i] = +(a <= t[i]! && e[i]! <= b);
    else if (mode === 'touching') for (let i = 0; i < r.length; i++) mask[i] = +(e[i]! > a && t[i]! < b);
    else throw new Error(`unknown timeSelection '${String(mode)}' (use fully_contained, touching or skip)`);
    if (!mask.every((x) => x === 1)) r = r.filter(mask);
  }
  if (s.selection !== undefined) {
    const mask = typeof s.selection === 'function' ? s.selection(r) : selectionMask(r, s.selection);
    if (mask.length !== r.length)
      throw new Error(`selection gave ${mask.length} values for ${r.length} rows`);
    r = r.filter(mask);
  }
  let keep = s.keepColumns;
  if (s.dropColumns) {
    for (const n of s.dropColumns)
      if (!r.dtype.has(n))
        throw new Error(`dropColumns: no field '${n}' (fields: ${r.dtype.names.join(', ')})`);
    keep = r.dtype.names.filter((n) => !s.dropColumns!.includes(n));
  }
  if (keep) {
    for (const n of keep)
      if (!r.dtype.has(n))
        throw new Error(`keepColumns: no field '${n}' (fields: ${r.dtype.names.join(', ')})`);
    r = r.pick(r.dtype.names.filter((n) => keep!.includes(n)));
  }
  return r;
}
