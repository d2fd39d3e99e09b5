// straxen's pulse_counts dtype: one row per raw_records chunk with per-channel statistics.
// time/endtime are full int64 (the chunk's bounds), too long for length/dt intervals.

import { DType } from '../../core/dtype.js';

export function pulseCountDtype(nChannels: number): DType {
  const s = [nChannels];
  return DType.of([
    { name: 'time', type: '<i8', title: 'Start time of the chunk' },
    { name: 'endtime', type: '<i8', title: 'End time of the chunk' },
    { name: 'pulse_count', type: '<i8', title: 'Number of pulses', shape: s },
    { name: 'lone_pulse_count', type: '<i8', title: 'Number of lone pulses', shape: s },
    { name: 'pulse_area', type: '<i8', title: 'Integral of all pulses in ADC_count x samples', shape: s },
    {
      name: 'lone_pulse_area',
      type: '<i8',
      title: 'Integral of lone pulses in ADC_count x samples',
      shape: s,
    },
    { name: 'baseline_mean', type: '<i2', title: 'Average baseline', shape: s },
    { name: 'baseline_rms_mean', type: '<f4', title: 'Average baseline rms', shape: s },
  ]);
}
