// Cutting a run's records into the pieces the DAQ writes: main chunk i covers
// [i(C+O), i(C+O)+C) ns after the run start and the overlap after it the next O ns. A record
// goes to the piece its start time falls in (it may reach past the piece's end). The run ends
// with a main chunk that is not the first and that every record has ended in: the DAQReader
// only reads a last chunk that has a `_pre`, and a chunk cannot hold rows past its end.

import type { DType } from '../../core/dtype.js';
import { Records } from '../../core/records.js';
import { timeOffsets } from '../../core/int64-time.js';
import { endTimes } from '../../plugins/raw_records/daq-overlap.js';
import { LiveDataError, mainWindow, type ChunkWindows } from '../../plugins/raw_records/live-data-layout.js';

export interface LivePiece {
  /** Main chunk number; an overlap piece belongs after this chunk. */
  chunkI: number;
  kind: 'main' | 'overlap';
  /** [start, end) in ns since the run start. */
  window: [number, number];
  /** Rows with times in ns since the run start. */
  rows: Records;
}

/** Rows of one time-sorted stream handed out by start time, piece by piece. */
class TimeCursor {
  private buffered: Records | null = null;
  private done = false;

  constructor(private readonly source: AsyncIterator<Records>) {}

  /** The rows starting before `before` (ns since the epoch) not handed out yet. */
  async take(before: bigint): Promise<Records | null> {
    const out: Records[] = [];
    for (;;) {
      if (this.buffered === null || this.buffered.length === 0) {
        if (this.done) break;
        const r = await this.source.next();
        if (r.done) {
          this.done = true;
          break;
        }
        this.buffered = r.value;
        continue;
      }
      const t = this.buffered.i64('time');
      const n = lowerBound(t, before);
      out.push(this.buffered.slice(0, n));
      this.buffered = this.buffered.slice(n);
      if (this.buffered.length > 0) break;
    }
    return out.length ? Records.concat(out) : null;
  }

  get exhausted(): boolean {
    return this.done && (this.buffered === null || this.buffered.length === 0);
  }
}

function lowerBound(t: BigInt64Array, x: bigint): number {
  let lo = 0,
    hi = t.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (t[m]! < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

export interface PieceOptions extends ChunkWindows {
  /** Run start [ns since the epoch]: live_data times count from here. */
  runStart: bigint;
  /** The raw_records dtype (rows of empty pieces). */
  dtype: DType;
  /** Stop taking input (the run is then closed properly) once this returns true. */
  stop?: () => boolean;
}

/**
 * The pieces of a run from time-sorted streams of rows (times in ns since the epoch); every
 * row of the input is in exactly one piece, with its time made relative to the run start.
 */
export async function* livePieces(
  sources: readonly AsyncIterable<Records>[],
  o: PieceOptions,
): AsyncGenerator<LivePiece> {
  const cursors = sources.map((s) => new TimeCursor(s[Symbol.asyncIterator]()));
  let maxEnd = 0;
  for (let k = 0; ; k++) {
    const chunkI = Math.floor(k / 2);
    const kind = k % 2 === 0 ? 'main' : 'overlap';
    const [mStart, mEnd] = mainWindow(o, chunkI);
    const window: [number, number] = kind === 'main' ? [mStart, mEnd] : [mEnd, mEnd + o.overlapDuration];
    const stopped = o.stop?.() ?? false;
    const parts: Records[] = [];
    if (!stopped) {
      for (const c of cursors) {
        const r = await c.take(o.runStart + BigInt(window[1]));
        if (r && r.length) parts.push(r);
      }
    }
    const rows = relative(Records.concat(parts, o.dtype), o.runStart, window);
    const ends = endTimes(rows);
    for (let i = 0; i < ends.length; i++) if (ends[i]! > maxEnd) maxEnd = ends[i]!;
    yield { chunkI, kind, window, rows };
    const inputDone = stopped || cursors.every((c) => c.exhausted);
    if (kind === 'main' && chunkI >= 1 && inputDone && maxEnd <= window[1]) return;
  }
}

/** Times relative to the run start, checked to lie in the piece's window. */
function relative(rows: Records, runStart: bigint, [start, end]: readonly [number, number]): Records {
  if (rows.length === 0) return rows;
  const rel = timeOffsets(rows.i64('time'), runStart);
  for (let i = 0; i < rel.length; i++) {
    if (rel[i]! < start || rel[i]! >= end)
      throw new LiveDataError(
        `a record at ${rows.i64('time')[i]} ns starts ${rel[i]! < 0 ? 'before the run start' : 'out of time order'} (${rel[i]} ns after the run start, piece [${start}, ${end})): the input must be sorted by time and start after the run start`,
      );
  }
  const time = new BigInt64Array(rel.length);
  for (let i = 0; i < rel.length; i++) time[i] = BigInt(rel[i]!);
  return new Records(rows.dtype, rows.length, { ...rows.columns, time });
}
