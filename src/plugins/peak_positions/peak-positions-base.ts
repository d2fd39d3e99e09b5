// The interface every position-reconstruction plugin shares: per peak, float32 `x_<label>`,
// `y_<label>` (the algorithm's own fields) and `x`, `y` (the positions the chain uses), with
// the peak's time and endtime. Downstream, event_basics discovers the algorithm labels from the
// field names containing `x_`, so an algorithm must not add other fields containing `x_`.
//
// To use another algorithm, subclass this, give it a label and a reconstruct(), and register
// it as the provider of `peak_positions` instead of PeakPositionsCoG.

import { DType, type FieldSpec } from '../../core/dtype.js';
import { Plugin, type InputsByKind } from '../../core/plugin.js';
import { Records } from '../../core/records.js';
import { TIME_FIELDS } from '../../core/standard-dtypes.js';
import { endtimes } from '../../core/chunk.js';
import type { OptionList } from '../../core/option-schema.js';

export interface ReconstructedPositions {
  x: Float32Array;
  y: Float32Array;
}

export abstract class PeakPositionsBase<O extends OptionList = OptionList> extends Plugin<O> {
  readonly provides: readonly string[] = ['peak_positions'];
  override readonly dependsOn: readonly string[] = ['peaks'];
  override readonly compressor: string = 'blosc';

  /** Short algorithm name: fields x_<label>, y_<label>. */
  abstract readonly algorithm: string;
  /** Words for the field descriptions, e.g. ", centre of gravity". */
  protected readonly algorithmTitle: string = '';

  /** One position per peak; NaN where the algorithm gives none. */
  protected abstract reconstruct(peaks: Records): ReconstructedPositions;

  override inferDtype(): DType {
    const a = this.algorithm;
    if (a.includes('_')) throw new Error(`position algorithm label '${a}' must not contain '_'`);
    const fields: FieldSpec[] = [
      ...TIME_FIELDS,
      {
        name: `x_${a}`,
        type: '<f4',
        title: `Reconstructed S2 X position (cm)${this.algorithmTitle}, uncorrected`,
      },
      {
        name: `y_${a}`,
        type: '<f4',
        title: `Reconstructed S2 Y position (cm)${this.algorithmTitle}, uncorrected`,
      },
      { name: 'x', type: '<f4', title: 'Reconstructed S2 X position (cm), uncorrected' },
      { name: 'y', type: '<f4', title: 'Reconstructed S2 Y position (cm), uncorrected' },
    ];
    return DType.of(fields);
  }

  override compute(inputs: InputsByKind): Records {
    const peaks = inputs['peaks'];
    if (!peaks) throw new Error(`${this.className}: needs peaks`);
    const { x, y } = this.reconstruct(peaks);
    const a = this.algorithm;
    return new Records(this.inferDtype(), peaks.length, {
      time: peaks.i64('time').slice(),
      endtime: endtimes(peaks).slice(),
      [`x_${a}`]: x,
      [`y_${a}`]: y,
      x: x.slice(),
      y: y.slice(),
    });
  }
}
