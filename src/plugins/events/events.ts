// straxen Events: event windows around triggering S2s.
//
// Numbering: straxen counts events per plugin call, so under overlap processing the events of
// a held-back tail are numbered twice and the saved numbers have gaps. straxts numbers the
// run's events 0..N-1 whatever the chunking: it mirrors the overlap-window bookkeeping
// (what is emitted now, what is recomputed next call) to number each event only once.

import { DType } from '../../core/dtype.js';
import { OverlapWindowPlugin, SaveWhen, type ComputeRange, type InputsByKind } from '../../core/plugin.js';
import { Records } from '../../core/records.js';
import { buildEvents } from '../../kernels/event-building.js';
import { timeOffsets, timesFromOffsets } from '../../core/int64-time.js';
import { any, bool, defineOptions, num, str } from '../../core/option-schema.js';
import {
  electron_drift_velocity,
  event_s1_min_coincidence,
  maxDriftTime,
  max_drift_length,
  s1_min_coincidence,
} from '../shared-options.js';

const OPTIONS = defineOptions({
  electron_drift_velocity,
  trigger_min_area: num(
    120,
    'A peak must be larger than this [PE] to trigger an event. Lower it to study small S2s (more events, more accidentals).',
  ),
  trigger_feature: str(
    'proximity_score',
    'Peak field compared with trigger_max_proximity when deciding whether a peak triggers an event.',
  ),
  trigger_max_proximity: num(
    1.5e-3,
    'A peak triggers only if its trigger_feature is below this: peaks likely caused by an earlier large S2 (high proximity score) do not.',
  ),
  left_event_extension: num(
    250_000,
    'Time [ns] an event reaches before its triggering peak, on top of the longest drift time (so the S1 is inside).',
  ),
  right_event_extension: num(250_000, 'Time [ns] an event reaches after its triggering peak.'),
  max_drift_length,
  event_s1_min_coincidence,
  s1_min_coincidence,
  event_exclude_s3: bool(
    true,
    'Build no event around a trigger when an S3 (a peak classified as type 3) lies in the window.',
  ),
  diagnose_overlapping: any<unknown>(
    true,
    'Check at run time that the events come out disjoint (a debugging aid; set false to skip).',
    { track: false },
  ),
});

export class Events extends OverlapWindowPlugin<typeof OPTIONS> {
  readonly provides: readonly string[] = ['events'];
  override readonly dependsOn: readonly string[] = ['peak_basics', 'peak_proximity'];
  override readonly dataKind = 'events';
  override readonly version = '0.1.1';
  override readonly saveWhen = SaveWhen.EXPLICIT;
  override readonly options = OPTIONS;

  private driftTimeMax = 0;
  private leftExtension = 0;
  private rightExtension = 0;
  /** Events handed out so far, and the time up to which they reach (overlap bookkeeping). */
  private eventsSeen = 0;
  private sentUntil: bigint | null = null;
  /** Resuming late in the run: the number of the first event at or after this time. */
  private anchor: { time: bigint; rowsBefore: number } | null = null;

  override inferDtype(): DType {
    return DType.of([
      { name: 'event_number', type: '<i8', title: 'Event number in this dataset' },
      { name: 'time', type: '<i8', title: 'Event start time in ns since the unix epoch' },
      { name: 'endtime', type: '<i8', title: 'Event end time in ns since the unix epoch' },
    ]);
  }

  override setup(): void {
    if (this.cfg.s1_min_coincidence > this.cfg.event_s1_min_coincidence) {
      throw new Error('Events: s1_min_coincidence must not exceed event_s1_min_coincidence');
    }
    this.driftTimeMax = maxDriftTime(this.cfg.max_drift_length, this.cfg.electron_drift_velocity);
    this.leftExtension = this.cfg.left_event_extension + this.driftTimeMax;
    this.rightExtension = this.cfg.right_event_extension;
    this.eventsSeen = 0;
    this.sentUntil = null;
  }

  override continueCount(anchor: { time: bigint; rowsBefore: number }): void {
    this.anchor = anchor;
  }

  getWindowSize(): number {
    const dtMax = maxDriftTime(this.cfg.max_drift_length, this.cfg.electron_drift_velocity);
    return 10 * (this.cfg.left_event_extension + dtMax + this.cfg.right_event_extension);
  }

  override compute(inputs: InputsByKind, range: ComputeRange): Records {
    const peaks = inputs['peaks'];
    if (!peaks) throw new Error('Events: needs peaks');
    const feature = String(this.cfg.trigger_feature);
    if (!peaks.dtype.has(feature))
      throw new Error(`Events: trigger_feature '${feature}' is not a peak field`);
    const base = range.start;
    const ev = buildEvents(
      {
        time: timeOffsets(peaks.i64('time'), base),
        endtime: timeOffsets(peaks.i64('endtime'), base),
        area: peaks.f32('area'),
        type: peaks.col('type') as Int8Array,
        feature: peaks.col(feature) as ArrayLike<number>,
      },
      {
        triggerMinArea: this.cfg.trigger_min_area,
        triggerMaxFeature: this.cfg.trigger_max_proximity,
        featureIsFloat32: peaks.dtype.field(feature).type === '<f4',
        leftExtension: this.leftExtension,
        rightExtension: this.rightExtension,
        excludeS3: Boolean(this.cfg.event_exclude_s3),
        start: 0,
        end: Number(range.end - base),
      },
    );
    const n = ev.time.length;
    if (this.cfg.diagnose_overlapping !== false) {
      for (let i = 0; i + 1 < n; i++) {
        if (ev.endtime[i]! > ev.time[i + 1]!) throw new Error('Events: event windows overlap (not disjoint)');
      }
    }
    const time = timesFromOffsets(ev.time, base);
    const endtime = timesFromOffsets(ev.endtime, base);
    const number = new BigInt64Array(n);
    this.numberEvents(time, endtime, number, range);
    return new Records(this.inferDtype(), n, { event_number: number, time, endtime });
  }

  /**
   * Give each event its run-wide number. Events ending at or before the previous call's
   * hand-out point were numbered (and emitted) then and will be dropped by the framework;
   * the rest are numbered from the running count. Of those, the ones the framework emits now
   * (ending before end − 2·window − 1, moved earlier to the start of a straddling event) are
   * added to the count; the others come back in the next call.
   */
  private numberEvents(
    time: BigInt64Array,
    endtime: BigInt64Array,
    number: BigInt64Array,
    range: ComputeRange,
  ): void {
    const n = time.length;
    let first = 0;
    if (this.sentUntil !== null) while (first < n && endtime[first]! <= this.sentUntil) first++;
    if (this.anchor) {
      // Events before the anchor (near where loading resumed) may lack history; their numbers
      // do not matter (nothing keeps them), the anchor's must be the uninterrupted run's.
      let j = first;
      while (j < n && time[j]! < this.anchor.time) j++;
      if (j < n) {
        this.eventsSeen = this.anchor.rowsBefore - (j - first);
        this.anchor = null;
      }
    }
    for (let i = first; i < n; i++) number[i] = BigInt(this.eventsSeen + i - first);
    // Same cut as the engine: end − ceil(2·window) − 1.
    let cut = range.end - BigInt(Math.ceil(2 * this.getWindowSize())) - 1n;
    if (cut > range.end) cut = range.end;
    if (cut < range.start) cut = range.start;
    let k = first;
    while (k < n && endtime[k]! <= cut) k++;
    if (k < n && time[k]! < cut) cut = time[k]!;
    this.eventsSeen += k - first;
    this.sentUntil = cut;
  }
}
