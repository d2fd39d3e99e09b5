// Row-by-row convenience plugin (strax LoopPlugin): for each row of the base kind, the rows of
// the other kinds that lie inside it (or touch it) are handed to computeLoop, whose returned
// fields fill one output row. Rows outside every base row are ignored; unset fields are 0.

import { endtimes } from '../chunk.js';
import { Records } from '../records.js';
import type { TypedArray } from '../dtype.js';
import { Plugin, type ComputeRange, type InputsByKind } from '../plugin.js';
import type { OptionList } from '../option-schema.js';

export type LoopRow = Record<string, number | bigint | boolean | ArrayLike<number> | ArrayLike<bigint>>;

export abstract class LoopPlugin<O extends OptionList = OptionList> extends Plugin<O> {
  /** Base data kind; defaults to the kind of the first dependency. */
  readonly loopOver?: string;
  readonly timeSelection: 'fully_contained' | 'touching' = 'fully_contained';
  readonly touchingWindow: number = 0;

  /** base: one row; things: per other kind, the rows belonging to it. Multi-output: type → row. */
  abstract computeLoop(base: Records, things: InputsByKind): LoopRow | Record<string, LoopRow>;

  override compute(inputs: InputsByKind, _range: ComputeRange): Records | Record<string, Records> {
    const kinds = Object.keys(inputs);
    const baseKind = this.loopOver ?? kinds[0]!;
    const base = inputs[baseKind];
    if (!base)
      throw new Error(
        `${this.className}: loop-over kind ${baseKind} is not among the inputs (${kinds.join(', ')})`,
      );
    const bt = base.i64('time'),
      be = endtimes(base);
    for (let i = 1; i < base.length; i++) {
      if (bt[i]! < be[i - 1]!)
        throw new Error(`${this.className}: ${baseKind} rows overlap, cannot loop over them`);
    }
    const groups: Record<string, number[][]> = {};
    for (const k of kinds) {
      if (k === baseKind) continue;
      const t = inputs[k]!.i64('time');
      for (let i = 1; i < t.length; i++)
        if (t[i]! < t[i - 1]!) throw new Error(`${this.className}: expected ${k} to be sorted by time`);
      groups[k] =
        this.timeSelection === 'touching'
          ? touching(inputs[k]!, bt, be, BigInt(this.touchingWindow))
          : containment(inputs[k]!, bt, be);
    }
    const outs: Record<string, Records> = {};
    for (const d of this.provides) outs[d] = Records.empty(this.dtypeFor(d), base.length);
    for (let i = 0; i < base.length; i++) {
      const things: InputsByKind = {};
      for (const k of Object.keys(groups)) things[k] = inputs[k]!.take(groups[k]![i]!);
      const r = this.computeLoop(base.slice(i, i + 1), things);
      if (typeof r !== 'object' || r === null)
        throw new Error(`${this.className}.computeLoop must return an object of field values`);
      if (this.multiOutput)
        for (const d of this.provides) writeRow(outs[d]!, i, (r as Record<string, LoopRow>)[d] ?? {});
      else writeRow(outs[this.provides[0]!]!, i, r as LoopRow);
    }
    return this.multiOutput ? outs : outs[this.provides[0]!]!;
  }
}

function writeRow(out: Records, i: number, row: LoopRow): void {
  for (const [name, v] of Object.entries(row)) {
    const col = out.col(name);
    const w = out.width(name);
    if (w === 1 && typeof v !== 'object') setScalar(col, i, v);
    else {
      const arr = v as ArrayLike<number | bigint>;
      if (typeof v !== 'object' || arr.length !== w)
        throw new Error(`field '${name}' takes ${w} values per row`);
      for (let k = 0; k < w; k++) setScalar(col, i * w + k, arr[k]!);
    }
  }
}

function setScalar(col: TypedArray, i: number, v: number | bigint | boolean): void {
  if (col instanceof BigInt64Array || col instanceof BigUint64Array) col[i] = BigInt(v as number | bigint);
  else (col as Float64Array)[i] = Number(v);
}

/** Indices of the things fully inside each container (ends exclusive); containers are disjoint. */
function containment(things: Records, ct: BigInt64Array, ce: BigInt64Array): number[][] {
  const t = things.i64('time'),
    e = endtimes(things);
  const out: number[][] = Array.from({ length: ct.length }, () => []);
  let c = 0;
  for (let j = 0; j < t.length; j++) {
    while (c < ct.length && ce[c]! <= t[j]!) c++;
    if (c === ct.length) break;
    if (ct[c]! <= t[j]! && e[j]! <= ce[c]!) out[c]!.push(j);
  }
  return out;
}

function touching(things: Records, ct: BigInt64Array, ce: BigInt64Array, w: bigint): number[][] {
  const t = things.i64('time'),
    e = endtimes(things);
  const out: number[][] = [];
  for (let c = 0; c < ct.length; c++) {
    let from = 0;
    while (from < t.length && e[from]! <= ct[c]! - w) from++;
    let to = from;
    while (to < t.length && t[to]! < ce[c]! + w) to++;
    out.push(Array.from({ length: to - from }, (_, k) => from + k));
  }
  return out;
}
