// Record-level pulse processing (strax pulse_processing / data_reduction): raw_records to
// records, zeroing padding, integration, links between fragments of a pulse, and keeping only
// the samples around hits.

import { allocColumns, RAW_RECORD_SCHEMA, RECORD_SCHEMA, type ColumnsOf } from './schema.js';

/**
 * Columns of strax's raw_record_dtype (RAW_RECORD_SCHEMA). `time` is in float64 ns offsets from a
 * base the caller chooses (core/kernel-columns.ts converts from and to the stored int64 times).
 */
export type RawRecordColumns = ColumnsOf<typeof RAW_RECORD_SCHEMA>;

/** Columns of strax's record_dtype (RECORD_SCHEMA): raw_records' with a float baseline and
 * processing results. */
export type RecordColumns = ColumnsOf<typeof RECORD_SCHEMA>;

const sameName = (c: string): string => c;

/** n zero-filled raw records of spr samples each. */
export function emptyRawRecords(n: number, spr: number): RawRecordColumns {
  return allocColumns(RAW_RECORD_SCHEMA, n, sameName, spr) as RawRecordColumns;
}

/** n zero-filled records of spr samples each. */
export function emptyRecords(n: number, spr: number): RecordColumns {
  return allocColumns(RECORD_SCHEMA, n, sameName, spr) as RecordColumns;
}

/** Rows of records (all columns) at the given indices, copied, in that order. */
export function takeRecordRows(r: RecordColumns, rows: ArrayLike<number>): RecordColumns {
  const n = rows.length;
  const spr = samplesPerRecord(r.data, r.time.length, 0);
  const out = emptyRecords(n, spr);
  for (let j = 0; j < n; j++) {
    const i = rows[j]!;
    out.time[j] = r.time[i]!;
    out.length[j] = r.length[i]!;
    out.dt[j] = r.dt[i]!;
    out.channel[j] = r.channel[i]!;
    out.pulse_length[j] = r.pulse_length[i]!;
    out.record_i[j] = r.record_i[i]!;
    out.area[j] = r.area[i]!;
    out.reduction_level[j] = r.reduction_level[i]!;
    out.baseline[j] = r.baseline[i]!;
    out.baseline_rms[j] = r.baseline_rms[i]!;
    out.amplitude_bit_shift[j] = r.amplitude_bit_shift[i]!;
    out.data.set(r.data.subarray(i * spr, (i + 1) * spr), j * spr);
  }
  return out;
}

/** strax.ReductionLevel.HITS_ONLY */
export const REDUCTION_HITS_ONLY = 2;
/** strax.NO_RECORD_LINK */
export const NO_RECORD_LINK = -1;

/** Samples per record of a batch (data.length / rows), or `fallback` for an empty batch. */
export function samplesPerRecord(data: ArrayLike<number>, rows: number, fallback = 110): number {
  return rows > 0 ? data.length / rows : fallback;
}

/** Indices of rows with channel < maxChannelExclusive, or undefined when every row qualifies. */
export function rowsBelowChannel(channel: Int16Array, maxChannelExclusive: number): Int32Array | undefined {
  let keep = 0;
  for (let i = 0; i < channel.length; i++) if (channel[i]! < maxChannelExclusive) keep++;
  if (keep === channel.length) return undefined;
  const rows = new Int32Array(keep);
  for (let i = 0, j = 0; i < channel.length; i++) if (channel[i]! < maxChannelExclusive) rows[j++] = i;
  return rows;
}

/** In place: samples at and beyond each record's length set to 0. */
export function zeroOutOfBounds(length: Int32Array, data: Int16Array | Float32Array): void {
  const n = length.length;
  if (n === 0) return;
  const spr = data.length / n;
  for (let i = 0; i < n; i++) {
    const len = length[i]!;
    if (len < spr) data.fill(0, i * spr + Math.max(len, 0), (i + 1) * spr);
  }
}

/** Python's round(): half to even. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * strax record_links: for each record, the index of the previous / next fragment of the same
 * pulse (NO_RECORD_LINK if none). A fragment continues the channel's last record when it starts
 * exactly samplesPerRecord samples after it.
 */
export function recordLinks(
  r: { time: Float64Array; dt: Int16Array | Int32Array; channel: Int16Array; record_i: Int16Array },
  spr: number,
): { previous: Int32Array; next: Int32Array } {
  const n = r.time.length;
  const previous = new Int32Array(n).fill(NO_RECORD_LINK);
  const next = new Int32Array(n).fill(NO_RECORD_LINK);
  if (n === 0) return { previous, next };
  // Columns one by one: callers pass `r` in several shapes (one the loops had not seen
  // deoptimised them).
  linkFragments(r.time, r.dt, r.channel, r.record_i, spr, previous, next);
  return { previous, next };
}

function linkFragments(
  t: Float64Array,
  dt: Int16Array | Int32Array,
  channel: Int16Array,
  recordI: Int16Array,
  spr: number,
  previous: Int32Array,
  next: Int32Array,
): void {
  const n = t.length;
  let maxCh = -1;
  for (let i = 0; i < n; i++) {
    const c = channel[i]!;
    if (c < 0) throw new Error(`record_links: negative channel number ${c} in record ${i}`);
    if (c > maxCh) maxCh = c;
  }
  const last = new Int32Array(maxCh + 1).fill(NO_RECORD_LINK);
  const expected = new Float64Array(maxCh + 1).fill(NaN);
  for (let i = 0; i < n; i++) {
    const ch = channel[i]!;
    if (recordI[i] !== 0 && t[i] === expected[ch]) {
      previous[i] = last[ch]!;
      next[last[ch]!] = i;
    }
    last[ch] = i;
    expected[ch] = t[i]! + spr * dt[i]!;
  }
}

type CutInput = {
  time: Float64Array;
  length: Int32Array;
  dt: Int16Array | Int32Array;
  channel: Int16Array;
  record_i: Int16Array;
  data: Int16Array;
};
type CutHits = { left: Int16Array; right: Int16Array; recordI: Int32Array };

/**
 * strax cut_outside_hits, data part: a new waveform array holding only the samples within
 * [left − leftExtension, right + rightExtension) of each hit, extended into the previous and next
 * fragment of the pulse when the window crosses the record's edge. Other fields are unchanged;
 * the caller sets reduction_level to HITS_ONLY.
 */
export function cutOutsideHits(
  r: CutInput,
  hits: CutHits,
  leftExtension: number,
  rightExtension: number,
  links?: { previous: Int32Array; next: Int32Array },
): Int16Array {
  const data = r.data.slice();
  cutOutsideHitsInPlace(r, data, hits, leftExtension, rightExtension, links);
  return data;
}

/** The samples of each record kept by cut_outside_hits when hits come in no particular order
 * (reused between calls: no fresh zeroed pages each time). */
let keepScratch = new Uint8Array(0);

/**
 * cutOutsideHits writing into `data` (r's waveforms or a copy of them): samples outside every
 * kept window are set to zero, the others left as they are.
 */
export function cutOutsideHitsInPlace(
  r: CutInput,
  data: Int16Array,
  hits: CutHits,
  leftExtension: number,
  rightExtension: number,
  links?: { previous: Int32Array; next: Int32Array },
): void {
  const n = r.time.length;
  if (n === 0) return;
  const spr = data.length / n;
  const { previous, next } = links ?? recordLinks(r, spr);
  const { left, right, recordI } = hits;
  if (inRecordOrder(recordI, left)) {
    // find_hits' order: each record's windows come together, left to right, so the samples
    // between them are zeroed record by record, a run at a time.
    const head = new Int32Array(n),
      tail = new Int32Array(n);
    neighbourWindows(left, right, recordI, leftExtension, rightExtension, spr, previous, next, head, tail);
    zeroBetweenWindows(data, r.length, spr, left, right, recordI, leftExtension, rightExtension, head, tail);
    return;
  }
  if (keepScratch.length < data.length) keepScratch = new Uint8Array(data.length);
  const keep = keepScratch.subarray(0, data.length);
  keep.fill(0);
  markKept(keep, r.length, spr, left, right, recordI, leftExtension, rightExtension, previous, next);
  zeroUnmarked(data, keep);
}

/** Whether hits are grouped by record, in increasing record order and, within one, by left. */
function inRecordOrder(recordI: Int32Array, left: Int16Array): boolean {
  for (let h = 1; h < recordI.length; h++) {
    const d = recordI[h]! - recordI[h - 1]!;
    if (d < 0 || (d === 0 && left[h]! < left[h - 1]!)) return false;
  }
  return true;
}

/** Samples kept at the start (head) and end (tail) of each record by windows of hits in the
 * previous and next fragment of its pulse. */
function neighbourWindows(
  left: Int16Array,
  right: Int16Array,
  recordI: Int32Array,
  leftExtension: number,
  rightExtension: number,
  spr: number,
  previous: Int32Array,
  next: Int32Array,
  head: Int32Array,
  tail: Int32Array,
): void {
  for (let h = 0; h < left.length; h++) {
    const ri = recordI[h]!;
    const startKeep = left[h]! - leftExtension;
    const endKeep = right[h]! + rightExtension;
    if (endKeep < startKeep) throw new Error('cut_outside_hits: negative interval length');
    if (startKeep < 0) {
      const p = previous[ri]!;
      // numpy's data[start_keep:] with a negative start: the last −start_keep samples
      if (p !== NO_RECORD_LINK) {
        const k = Math.min(spr, -startKeep);
        if (k > tail[p]!) tail[p] = k;
      }
    }
    if (endKeep > spr) {
      const q = next[ri]!;
      if (q !== NO_RECORD_LINK) {
        const k = Math.min(spr, endKeep - spr);
        if (k > head[q]!) head[q] = k;
      }
    }
  }
}

/** Zeroes each record's samples outside its head, its tail and its own hits' windows (hits in
 * record order, see inRecordOrder). */
function zeroBetweenWindows(
  data: Int16Array,
  len: Int32Array,
  spr: number,
  left: Int16Array,
  right: Int16Array,
  recordI: Int32Array,
  leftExtension: number,
  rightExtension: number,
  head: Int32Array,
  tail: Int32Array,
): void {
  const n = len.length,
    nh = left.length;
  let h = 0;
  for (let ri = 0; ri < n; ri++) {
    const off = ri * spr;
    const limit = spr - tail[ri]!;
    let cur = head[ri]!;
    const rl = len[ri]!;
    for (; h < nh && recordI[h] === ri; h++) {
      // the window's overlap with [0, length)
      const startKeep = left[h]! - leftExtension;
      const endKeep = right[h]! + rightExtension;
      const a = startKeep > 0 ? startKeep : 0;
      const b = endKeep < rl ? endKeep : rl;
      if (b <= a) continue;
      const z = a < limit ? a : limit;
      if (z > cur) data.fill(0, off + cur, off + z);
      if (b > cur) cur = b;
    }
    if (limit > cur) data.fill(0, off + cur, off + limit);
  }
}

function zeroUnmarked(data: Int16Array, keep: Uint8Array): void {
  for (let k = 0; k < data.length; k++) if (keep[k] === 0) data[k] = 0;
}

/** Marks (1) the samples within each hit's extended window. */
function markKept(
  keep: Uint8Array,
  len: Int32Array,
  spr: number,
  left: Int16Array,
  right: Int16Array,
  recordI: Int32Array,
  leftExtension: number,
  rightExtension: number,
  previous: Int32Array,
  next: Int32Array,
): void {
  const nh = left.length;
  // Plain loops: the windows are short and numerous, so subarray fills would cost more.
  // find_hits emits a record's hits together, left to right: samples the previous window of the
  // same record already marked are skipped (marking them again would change nothing).
  let lastRec = -1,
    copiedFrom = 0,
    copiedTo = 0;
  for (let h = 0; h < nh; h++) {
    const ri = recordI[h]!;
    const startKeep = left[h]! - leftExtension;
    const endKeep = right[h]! + rightExtension;
    const off = ri * spr;
    // overlap of [0, length) with [startKeep, endKeep)
    const rl = len[ri]!;
    let a = startKeep > 0 ? startKeep : 0;
    const b = endKeep < rl ? endKeep : rl;
    if (endKeep < startKeep) throw new Error('cut_outside_hits: negative interval length');
    const a0 = a;
    if (ri === lastRec && a >= copiedFrom && a < copiedTo) a = copiedTo;
    for (let k = off + a, e = off + b; k < e; k++) keep[k] = 1;
    if (b > a0) {
      // [copiedFrom, copiedTo) stays a range of this record known to be marked
      if (ri === lastRec && a0 >= copiedFrom && a0 <= copiedTo) {
        if (b > copiedTo) copiedTo = b;
      } else {
        copiedFrom = a0;
        copiedTo = b;
      }
      lastRec = ri;
    }
    if (startKeep < 0) {
      const p = previous[ri]!;
      if (p !== NO_RECORD_LINK) {
        // numpy's data[start_keep:] with a negative start: the last −start_keep samples
        for (let k = p * spr + Math.max(0, spr + startKeep), e = (p + 1) * spr; k < e; k++) keep[k] = 1;
      }
    }
    if (endKeep > spr) {
      const q = next[ri]!;
      if (q !== NO_RECORD_LINK) {
        for (let k = q * spr, e = q * spr + Math.min(spr, endKeep - spr); k < e; k++) keep[k] = 1;
      }
    }
  }
}

/**
 * straxen check_overlaps: throws if a record starts before the previous record of its channel
 * ended (time + length·dt). Rows must be time-ordered; `base` (the times' base) only makes the
 * message show epoch times.
 */
export function checkOverlaps(
  r: { time: Float64Array; length: Int32Array; dt: Int16Array | Int32Array; channel: Int16Array },
  nChannels = 3000,
  base = 0n,
): void {
  const n = r.time.length;
  if (n === 0) return;
  const t = r.time;
  const lastEnd = new Float64Array(nChannels).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const ch = r.channel[i]!;
    if (ch < 0 || ch >= nChannels) throw new Error(`raw_records: channel ${ch} outside 0..${nChannels - 1}`);
    if (t[i]! < lastEnd[ch]!) {
      throw new Error(
        `Bad data! In channel ${ch}, a pulse starts at ${base + BigInt(t[i]!)}, BEFORE the previous pulse in that same channel ended (at ${base + BigInt(lastEnd[ch]!)})`,
      );
    }
    lastEnd[ch] = t[i]! + r.length[i]! * r.dt[i]!;
  }
}
