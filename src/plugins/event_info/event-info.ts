// straxen EventInfo: every event-level field in one data type (a pure merge). straxen can
// apply a user hook to the merged rows (event_info_function); straxts has no such hooks, so
// the option must be 'disabled'.

import { Records } from '../../core/records.js';
import { MergeOnlyPlugin, SaveWhen, type InputsByKind } from '../../core/plugin.js';
import { any, defineOptions } from '../../core/option-schema.js';

const OPTIONS = defineOptions({
  event_info_function: any<unknown>(
    'pre_apply_function',
    "straxen's hook that post-processes event_info; straxts cannot run Python hooks, so set it to 'disabled'.",
  ),
});

export class EventInfo extends MergeOnlyPlugin<typeof OPTIONS> {
  readonly provides: readonly string[] = ['event_info'];
  override readonly dependsOn: readonly string[] = [
    'event_basics',
    'event_positions',
    'corrected_areas',
    'energy_estimates',
  ];
  override readonly dataKind = 'events';
  override readonly version = '0.0.2';
  override readonly saveWhen = SaveWhen.ALWAYS;
  override readonly options = OPTIONS;

  override setup(): void {
    const fn = this.cfg.event_info_function;
    if (fn !== 'disabled') {
      throw new Error(
        `EventInfo: event_info_function '${String(fn)}' is a straxen user hook that straxts cannot run; set event_info_function to 'disabled'`,
      );
    }
  }

  override compute(inputs: InputsByKind): Records {
    const ev = inputs['events'];
    if (!ev) throw new Error('EventInfo: needs the event-level inputs');
    // The merged dtype orders fields by dependency name; take the columns in that order.
    const dtype = this.inferDtype();
    const columns: Records['columns'] = {};
    for (const name of dtype.names) columns[name] = ev.col(name);
    return new Records(dtype, ev.length, columns);
  }
}
