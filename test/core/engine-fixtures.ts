// Toy plugins for the engine tests: records (a source) → peaks (parallel, worker-capable) →
// peak_sums (overlap window), events (a second source, another kind) → event_sums (loop over
// events), split_peaks (multi-output), peak_halves (down-chunking), big_events (cut).
// No test-runner imports here: worker threads import this module.

import { DType } from '../../src/core/dtype.js';
import { Records } from '../../src/core/records.js';
import { endtimes } from '../../src/core/chunk.js';
import {
  OverlapWindowPlugin,
  Plugin,
  SaveWhen,
  type ComputeRange,
  type InputsByKind,
  type SourceOutput,
} from '../../src/core/plugin.js';
import { LoopPlugin, type LoopRow } from '../../src/core/special-plugins/loop.js';
import { CutPlugin } from '../../src/core/special-plugins/cut.js';
import { DownChunkingPlugin } from '../../src/core/special-plugins/down-chunking.js';
import { defineOptions, float, int, num } from '../../src/core/option-schema.js';

export const RECORD_DTYPE = DType.of([
  { name: 'time', type: '<i8', title: 'Start time since unix epoch [ns]' },
  { name: 'length', type: '<i4', title: 'Length of the interval in samples' },
  { name: 'dt', type: '<i2', title: 'Width of one sample [ns]' },
  { name: 'channel', type: '<i2', title: 'Channel/PMT number' },
  { name: 'area', type: '<f4', title: 'Area' },
]);

export const EVENT_DTYPE = DType.of([
  { name: 'time', type: '<i8' },
  { name: 'endtime', type: '<i8' },
]);

/** Counts compute calls in this thread (tests of loading vs recomputing). */
export const calls: Record<string, number> = {};
const count = (name: string): void => {
  calls[name] = (calls[name] ?? 0) + 1;
};

/** A source that emits given rows cut at given boundaries (registered as an instance). */
export class ToyRecords extends Plugin {
  override readonly provides: readonly string[] = ['records'];
  override readonly dataKind: string = 'records';
  override readonly version = '0.1.0';
  override readonly rechunkOnSave = false;
  constructor(
    public rows: Records = Records.empty(RECORD_DTYPE),
    public bounds: bigint[] = [0n, 1n],
  ) {
    super();
  }
  override inferDtype(): DType {
    return RECORD_DTYPE;
  }
  override isReady(chunkI: number): boolean {
    return chunkI < this.bounds.length - 1;
  }
  override sourceFinished(): boolean {
    return true;
  }
  override compute(_inputs: InputsByKind, range: ComputeRange): SourceOutput {
    count('records');
    const start = this.bounds[range.chunkI]!,
      end = this.bounds[range.chunkI + 1]!;
    return { start, end, data: sliceByTime(this.rows, start, end) };
  }
}

export class ToyEvents extends ToyRecords {
  override readonly provides: readonly string[] = ['events'];
  override readonly dataKind = 'events';
  override inferDtype(): DType {
    return EVENT_DTYPE;
  }
}

export function sliceByTime(r: Records, start: bigint, end: bigint): Records {
  const t = r.i64('time');
  let a = 0;
  while (a < r.length && t[a]! < start) a++;
  let b = a;
  while (b < r.length && t[b]! < end) b++;
  return r.slice(a, b);
}

export const PEAK_DTYPE = DType.of([
  { name: 'time', type: '<i8' },
  { name: 'endtime', type: '<i8' },
  { name: 'channel', type: '<i2' },
  { name: 'area', type: '<f4' },
]);

/** One peak per record, area scaled: parallel-safe, runs on worker threads. */
const TOY_PEAKS_OPTIONS = defineOptions({
  gain: float(2, 'area scale'),
  fail_at_chunk: int(-1, 'throw on this chunk (tests)', { track: false }),
});

export class ToyPeaks extends Plugin<typeof TOY_PEAKS_OPTIONS> {
  static readonly moduleUrl = import.meta.url;
  override readonly provides: readonly string[] = ['peaks'];
  override readonly dependsOn: readonly string[] = ['records'];
  override readonly dataKind = 'peaks';
  override readonly version = '0.2.0';
  override readonly parallel = true;
  override readonly options = TOY_PEAKS_OPTIONS;
  private gain = 0;
  override setup(): void {
    this.gain = this.cfg.gain;
  }
  override inferDtype(): DType {
    return PEAK_DTYPE;
  }
  override compute(inputs: InputsByKind, range: ComputeRange): Records {
    count('peaks');
    if (range.chunkI === this.cfg.fail_at_chunk) throw new Error('boom (fail_at_chunk)');
    const r = inputs['records']!;
    const out = Records.empty(PEAK_DTYPE, r.length);
    out.i64('time').set(r.i64('time'));
    out.i64('endtime').set(endtimes(r));
    out.i16('channel').set(r.i16('channel'));
    const a = r.f32('area'),
      o = out.f32('area');
    for (let i = 0; i < r.length; i++) o[i] = a[i]! * this.gain;
    return out;
  }
}

export const SUM_DTYPE = DType.of([
  { name: 'time', type: '<i8' },
  { name: 'endtime', type: '<i8' },
  { name: 'n_near', type: '<i4' },
  { name: 'area_near', type: '<f8' },
]);

/** Per peak: how many peaks (and how much area) start within ±window of its start. */
const WINDOW_OPTIONS = defineOptions({ window: int(500, 'window [ns]') });

export class ToyPeakSums extends OverlapWindowPlugin<typeof WINDOW_OPTIONS> {
  override readonly provides: readonly string[] = ['peak_sums'];
  override readonly dependsOn: readonly string[] = ['peaks'];
  override readonly version = '0.0.1';
  override readonly options = WINDOW_OPTIONS;
  override getWindowSize(): number {
    return this.cfg.window;
  }
  override inferDtype(): DType {
    return SUM_DTYPE;
  }
  override compute(inputs: InputsByKind): Records {
    const p = inputs['peaks']!;
    return nearSums(p, BigInt(this.cfg.window));
  }
}

export function nearSums(p: Records, w: bigint): Records {
  const t = p.i64('time'),
    a = p.f32('area');
  const out = Records.empty(SUM_DTYPE, p.length);
  out.i64('time').set(t);
  out.i64('endtime').set(p.i64('endtime'));
  const n = out.i32('n_near'),
    s = out.f64('area_near');
  let lo = 0,
    hi = 0;
  for (let i = 0; i < p.length; i++) {
    while (t[lo]! < t[i]! - w) lo++;
    while (hi < p.length && t[hi]! <= t[i]! + w) hi++;
    n[i] = hi - lo;
    let sum = 0;
    for (let j = lo; j < hi; j++) sum += a[j]!;
    s[i] = sum;
  }
  return out;
}

export const EVENT_SUM_DTYPE = DType.of([
  { name: 'time', type: '<i8' },
  { name: 'endtime', type: '<i8' },
  { name: 'n_peaks', type: '<i4' },
  { name: 'area_sum', type: '<f8' },
]);

/** Per event: the peaks fully inside it (two data kinds). */
export class ToyEventSums extends LoopPlugin {
  override readonly provides: readonly string[] = ['event_sums'];
  override readonly dependsOn: readonly string[] = ['events', 'peaks'];
  override readonly version = '0.0.1';
  override inferDtype(): DType {
    return EVENT_SUM_DTYPE;
  }
  override computeLoop(base: Records, things: InputsByKind): LoopRow {
    const p = things['peaks']!;
    let s = 0;
    for (const x of p.f32('area')) s += x;
    return { time: base.i64('time')[0]!, endtime: base.i64('endtime')[0]!, n_peaks: p.length, area_sum: s };
  }
}

/** Multi-output: peaks above/below a threshold, as two data kinds. */
const SPLIT_OPTIONS = defineOptions({ big_area: num(50, 'area above which a peak is split') });

export class ToySplitPeaks extends Plugin<typeof SPLIT_OPTIONS> {
  static readonly moduleUrl = import.meta.url;
  override readonly provides: readonly string[] = ['big_peaks', 'small_peaks'];
  override readonly dependsOn: readonly string[] = ['peaks'];
  override readonly dataKind = { big_peaks: 'big_peaks', small_peaks: 'small_peaks' };
  override readonly version = '1.0.0';
  override readonly parallel = true;
  override readonly saveWhen = { big_peaks: SaveWhen.ALWAYS, small_peaks: SaveWhen.EXPLICIT };
  override readonly options = SPLIT_OPTIONS;
  override inferDtype(): Record<string, DType> {
    return { big_peaks: PEAK_DTYPE, small_peaks: PEAK_DTYPE };
  }
  override compute(inputs: InputsByKind): Record<string, Records> {
    const p = inputs['peaks']!;
    const a = p.f32('area'),
      thr = this.cfg.big_area;
    return {
      big_peaks: p.filter(Array.from(a, (x) => x >= thr)),
      small_peaks: p.filter(Array.from(a, (x) => x < thr)),
    };
  }
}

/** Down-chunking: each batch of peaks leaves as pieces of at most max_rows rows. */
const PIECES_OPTIONS = defineOptions({ max_rows: int(3, 'rows per piece') });

export class ToyPeakPieces extends DownChunkingPlugin<typeof PIECES_OPTIONS> {
  override readonly provides: readonly string[] = ['peak_pieces'];
  override readonly dependsOn: readonly string[] = ['peaks'];
  override readonly version = '0.0.1';
  override readonly options = PIECES_OPTIONS;
  override inferDtype(): DType {
    return PEAK_DTYPE;
  }
  override *computePieces(inputs: InputsByKind, range: ComputeRange): Iterable<SourceOutput> {
    const p = inputs['peaks']!;
    const k = this.cfg.max_rows;
    const t = p.i64('time');
    let start = range.start;
    for (let i = k; i < p.length; i += k) {
      yield { start, end: t[i]!, data: p.slice(i - k, i).withDType(PEAK_DTYPE) };
      start = t[i]!;
    }
    yield {
      start,
      end: range.end,
      data: p.slice(Math.max(0, Math.ceil(p.length / k) * k - k), p.length).withDType(PEAK_DTYPE),
    };
  }
}

/** Cut on event_sums: enough peaks inside. */
export class CutBusyEvent extends CutPlugin {
  override readonly provides: readonly string[] = ['cut_busy_event'];
  override readonly dependsOn: readonly string[] = ['event_sums'];
  override readonly version = '0.0.1';
  override cutBy(inputs: InputsByKind): ArrayLike<boolean> {
    return Array.from(inputs['events']!.i32('n_peaks'), (n) => n >= 2);
  }
}
