// straxen DistinctChannels (a LoopPlugin over events in straxen): how many PMTs see the
// alternate S1 but not the main S1. Peaks belong to an event when it contains them entirely,
// the same rule event_basics uses, so its peak indices apply.

import { endtimes } from '../../core/chunk.js';
import { DType } from '../../core/dtype.js';
import { Plugin, type InputsByKind } from '../../core/plugin.js';
import { Records } from '../../core/records.js';
import { TIME_FIELDS } from '../../core/standard-dtypes.js';
import { distinctChannels } from '../../kernels/distinct-channels.js';
import { timeOffsets } from '../../core/int64-time.js';
import { splitByContainment } from '../../kernels/intervals.js';

export class DistinctChannels extends Plugin {
  readonly provides: readonly string[] = ['distinct_channels'];
  override readonly dependsOn: readonly string[] = ['event_basics', 'peaks'];
  override readonly dataKind = 'events';
  override readonly version = '0.1.1';

  override inferDtype(): DType {
    return DType.of([
      {
        name: 'alt_s1_distinct_channels',
        type: '<i4',
        title: 'Number of PMTs contributing to the secondary S1 that do not contribute to the main S1',
      },
      ...TIME_FIELDS,
    ]);
  }

  override compute(inputs: InputsByKind): Records {
    const events = inputs['events'],
      peaks = inputs['peaks'];
    if (!events || !peaks) throw new Error('DistinctChannels: needs event_basics and peaks');
    const out = Records.empty(this.inferDtype(), events.length);
    out.i64('time').set(events.i64('time'));
    out.i64('endtime').set(events.i64('endtime'));
    if (events.length === 0) return out;
    const base = events.i64('time')[0]!;
    const { indices, offsets } = splitByContainment(
      timeOffsets(peaks.i64('time'), base),
      timeOffsets(endtimes(peaks), base),
      timeOffsets(events.i64('time'), base),
      timeOffsets(events.i64('endtime'), base),
    );
    distinctChannels(
      peaks.f32('area_per_channel'),
      peaks.width('area_per_channel'),
      indices,
      offsets,
      events.i32('s1_index'),
      events.i32('alt_s1_index'),
      out.i32('alt_s1_distinct_channels'),
    );
    return out;
  }
}
