// straxen EventBasicsVanilla: the main and alternate S1 and S2 of each event and their
// properties, drift times, and the S2 landscape around the main S2.

import { DType } from '../../core/dtype.js';
import { Plugin, type InputsByKind } from '../../core/plugin.js';
import { Records } from '../../core/records.js';
import { eventProperties, selectMainPeaks } from '../../kernels/event-peaks.js';
import { timeOffsets } from '../../core/int64-time.js';
import { splitByContainment } from '../../kernels/intervals.js';
import { PEAK_PROPERTIES, S1_EXTRA, eventBasicsFields, positionLabels } from './event-basics-dtype.js';
import { copyByIndex, setNanDefaults } from './fill.js';
import { any, defineOptions } from '../../core/option-schema.js';
import {
  electron_drift_velocity,
  event_s1_min_coincidence,
  maxDriftTime,
  max_drift_length,
} from '../shared-options.js';

const OPTIONS = defineOptions({
  electron_drift_velocity,
  allow_posts2_s1s: any<boolean>(
    false,
    'Let an S1 that comes after the main S2 become the main S1 (the pair is then not a physical S1-S2 sequence).',
  ),
  force_main_before_alt: any<boolean>(
    false,
    'When the alternate S1 (or S2) comes before the main one, swap them so the main peak is always the earlier.',
  ),
  force_alt_s2_in_max_drift_time: any<boolean>(
    true,
    'Pick the alternate S2 only among S2s within the longest drift time after the main S1.',
  ),
  event_s1_min_coincidence,
  max_drift_length,
});

export class EventBasicsVanilla extends Plugin<typeof OPTIONS> {
  static readonly moduleUrl = import.meta.url;
  // Event by event: chunks can be computed independently.
  override readonly parallel = true;
  // Picks and copies fields of a few peaks per event: cheaper here than shipping its four inputs
  // to a worker thread (see PeakPositionsCoG).
  override readonly computeOnPool = false;
  readonly provides: readonly string[] = ['event_basics'];
  override readonly dependsOn: readonly string[] = [
    'events',
    'peak_basics',
    'peak_positions',
    'peak_proximity',
  ];
  override readonly dataKind = 'events';
  override readonly version = '1.3.7';
  override readonly options = OPTIONS;

  private driftTimeMax = 0;

  private labels(): string[] {
    const pos = this.depDtypes['peak_positions'];
    if (!pos) throw new Error('EventBasicsVanilla: the peak_positions dtype is not known yet');
    return positionLabels(pos.names);
  }

  override inferDtype(): DType {
    return DType.of(eventBasicsFields(this.labels()));
  }

  override setup(): void {
    this.driftTimeMax = maxDriftTime(this.cfg.max_drift_length, this.cfg.electron_drift_velocity);
  }

  override compute(inputs: InputsByKind): Records {
    const events = inputs['events'],
      peaks = inputs['peaks'];
    if (!events || !peaks) throw new Error('EventBasicsVanilla: needs events and peaks');
    const dtype = this.inferDtype();
    const out = Records.empty(dtype, events.length);
    setNanDefaults(out);
    out.i64('time').set(events.i64('time'));
    out.i64('endtime').set(events.i64('endtime'));
    out.i64('event_number').set(events.i64('event_number'));
    if (events.length === 0) return out;

    // Any base works: offsets within one chunk are far below 2^53 ns.
    const base = events.i64('time')[0]!;
    const pTime = timeOffsets(peaks.i64('time'), base);
    const split = splitByContainment(
      pTime,
      timeOffsets(peaks.i64('endtime'), base),
      timeOffsets(events.i64('time'), base),
      timeOffsets(events.i64('endtime'), base),
    );
    const { indices, offsets } = split;
    const nPeaks = out.i32('n_peaks');
    for (let e = 0; e < events.length; e++) nPeaks[e] = offsets[e + 1]! - offsets[e]!;

    const cols = {
      time: pTime,
      centerTime: timeOffsets(peaks.i64('center_time'), base),
      area: peaks.f32('area'),
      type: peaks.col('type') as Int8Array,
      tightCoincidence: peaks.i16('tight_coincidence'),
    };
    const main = selectMainPeaks(cols, indices, offsets, {
      allowPostS2S1s: Boolean(this.cfg.allow_posts2_s1s),
      forceMainBeforeAlt: Boolean(this.cfg.force_main_before_alt),
      forceAltS2InMaxDriftTime: Boolean(this.cfg.force_alt_s2_in_max_drift_time),
      s1MinCoincidence: this.cfg.event_s1_min_coincidence,
      driftTimeMax: this.driftTimeMax,
    });
    const props = eventProperties(cols, indices, offsets, main);

    // Positions (into indices) → local index in the event and global peak index.
    const local = (pos: Int32Array): Int32Array => pos.map((q, e) => (q < 0 ? -1 : q - offsets[e]!));
    const global = (pos: Int32Array): Int32Array => pos.map((q) => (q < 0 ? -1 : indices[q]!));
    out.i32('s1_index').set(local(main.s1));
    out.i32('alt_s1_index').set(local(main.altS1));
    out.i32('s2_index').set(local(main.s2));
    out.i32('alt_s2_index').set(local(main.altS2));

    out.f32('drift_time').set(props.driftTime);
    out.f32('alt_s1_interaction_drift_time').set(props.altS1InteractionDriftTime);
    out.i32('alt_s1_delay').set(props.altS1Delay);
    out.f32('alt_s2_interaction_drift_time').set(props.altS2InteractionDriftTime);
    out.i32('alt_s2_delay').set(props.altS2Delay);
    out.f32('area_before_main_s2').set(props.areaBeforeMainS2);
    for (const [where, pos] of [
      ['before', props.largeS2Before],
      ['after', props.largeS2After],
    ] as const) {
      out.i32(`large_s2_${where}_main_s2_index`).set(local(pos));
      const g = global(pos);
      copyByIndex(peaks, 'area', out, `large_s2_${where}_main_s2_area`, g);
      copyByIndex(peaks, 'center_time', out, `large_s2_${where}_main_s2_center_time`, g);
    }

    const props1 = [...PEAK_PROPERTIES.map(([n]) => n), ...S1_EXTRA];
    const labels = this.labels();
    const props2 = [
      ...PEAK_PROPERTIES.map(([n]) => n),
      'x',
      'y',
      ...labels.map((a) => `x_${a}`),
      ...labels.map((a) => `y_${a}`),
    ];
    const chosen: [string, Int32Array, readonly string[]][] = [
      ['s1_', global(main.s1), props1],
      ['alt_s1_', global(main.altS1), props1],
      ['s2_', global(main.s2), props2],
      ['alt_s2_', global(main.altS2), props2],
    ];
    for (const [prefix, g, names] of chosen) {
      for (const name of names) copyByIndex(peaks, name, out, prefix + name, g);
    }
    return out;
  }
}
