// A boolean cut on one data kind (strax CutPlugin): output rows = time, endtime and one bool.

import { DType } from '../dtype.js';
import { endtimes } from '../chunk.js';
import { Records } from '../records.js';
import { Plugin, SaveWhen, type ComputeRange, type InputsByKind } from '../plugin.js';
import type { OptionList } from '../option-schema.js';

export abstract class CutPlugin<O extends OptionList = OptionList> extends Plugin<O> {
  override readonly saveWhen: SaveWhen | Readonly<Record<string, SaveWhen>> = SaveWhen.TARGET;
  /** Name of the boolean field; defaults to the provided data type. */
  readonly cutName?: string;
  /** Title of the boolean field; strax's default from the name. */
  readonly cutDescription?: string;

  /** One boolean per row of the first input kind. */
  abstract cutBy(inputs: InputsByKind, range: ComputeRange): ArrayLike<boolean | number>;

  get fieldName(): string {
    return this.cutName ?? this.provides[0]!;
  }

  get fieldTitle(): string {
    if (this.cutDescription !== undefined) return this.cutDescription;
    const n = this.fieldName;
    return n.includes('cut_') ? n.replace(/_/g, ' ') : `Cut by ${n}`;
  }

  override inferDtype(): DType {
    return DType.of([
      { name: 'time', type: '<i8', title: 'Start time since unix epoch [ns]' },
      { name: 'endtime', type: '<i8', title: 'Exclusive end time since unix epoch [ns]' },
      { name: this.fieldName, type: '|b1', title: this.fieldTitle },
    ]);
  }

  override async compute(inputs: InputsByKind, range: ComputeRange): Promise<Records> {
    const first = inputs[Object.keys(inputs)[0]!]!;
    const mask = await this.cutBy(inputs, range);
    if (mask.length !== first.length)
      throw new Error(`${this.className}.cutBy returned ${mask.length} values for ${first.length} rows`);
    const out = Records.empty(this.dtypeFor(this.provides[0]!), first.length);
    out.i64('time').set(first.i64('time'));
    out.i64('endtime').set(endtimes(first));
    const b = out.u8(this.fieldName);
    for (let i = 0; i < mask.length; i++) b[i] = mask[i] ? 1 : 0;
    return out;
  }
}
