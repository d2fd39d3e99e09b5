// The plugin contract: what a data type is made from and how. Plugins are short declarative
// classes; the context (context.ts) configures them and the engine drives compute().

import { DType } from './dtype.js';
import type { Records } from './records.js';
import type { Chunk } from './chunk.js';

export enum SaveWhen { NEVER = 0, EXPLICIT = 1, TARGET = 2, ALWAYS = 3 }

/** Python type of an option's value: decides how numbers enter the lineage (28 vs 28.0). */
export type OptionType = 'int' | 'float' | 'number' | 'bool' | 'str' | 'list' | 'dict' | 'any';

export interface OptionSpec {
  name: string;
  /** Default value. Numbers in a 'float' option are floats; elsewhere wrap floats in pyFloat(). */
  default?: unknown;
  defaultFactory?: () => unknown;
  type?: OptionType;
  /** Tracked options enter the lineage (and so the hash). Default true. */
  track?: boolean;
  help?: string;
  childOption?: boolean;
  parentOptionName?: string;
}

/** Inputs to compute, one Records per data kind (columns of same-kind inputs merged). */
export type InputsByKind = Record<string, Records>;

export interface ComputeRange {
  start: bigint;
  end: bigint;
  chunkI: number;
}

/** What a source plugin (no dependencies) returns: it alone knows the chunk's range. */
export interface SourceOutput {
  start: bigint;
  end: bigint;
  data: Records | Record<string, Records>;
}

export type ComputeResult = Records | Record<string, Records> | SourceOutput | Chunk;

export abstract class Plugin {
  /** Data types this plugin makes (several for a multi-output plugin). */
  abstract readonly provides: readonly string[];
  readonly dependsOn: readonly string[] = [];
  /** Kind of the output; a map data type → kind for multi-output. Defaults to the first input's kind. */
  readonly dataKind?: string | Readonly<Record<string, string>>;
  readonly version: string = '0.0.0';
  readonly options: readonly OptionSpec[] = [];
  readonly saveWhen: SaveWhen | Readonly<Record<string, SaveWhen>> = SaveWhen.ALWAYS;
  readonly compressor: string = 'blosc';
  /** Safe to compute chunks independently (on a worker pool). */
  readonly parallel: boolean = false;
  readonly rechunkOnSave: boolean | Readonly<Record<string, boolean>> = true;
  readonly chunkTargetSizeMb: number = 200;
  /** Python class name, as it appears in the lineage; defaults to the JS class name. */
  get className(): string {
    return this.constructor.name;
  }

  // Set by the context before setup().
  runId = '';
  /** This plugin's option values (Python floats unwrapped to numbers). */
  config: Record<string, unknown> = {};
  /** Dtypes of the inputs by data type. */
  depDtypes: Readonly<Record<string, DType>> = {};

  /** Output dtype per provided data type. May depend on config (read this.config). */
  abstract inferDtype(): DType | Readonly<Record<string, DType>>;

  /** Called once after config is set, before the first compute. */
  setup(): void | Promise<void> {}

  /** One batch of synchronised inputs → output rows for [range.start, range.end). */
  abstract compute(inputs: InputsByKind, range: ComputeRange): ComputeResult | Promise<ComputeResult>;

  /** Typed read of an option value. */
  opt<T>(name: string): T {
    if (!(name in this.config)) throw new Error(`${this.className}: option '${name}' is not configured`);
    return this.config[name] as T;
  }
}

/** Needs neighbours within a window on both sides (strax OverlapWindowPlugin). */
export abstract class OverlapWindowPlugin extends Plugin {
  /** w, or [left, right], in ns. */
  abstract getWindowSize(): number | readonly [number, number];
}

/** Only merges its inputs' columns; no compute of its own (strax MergeOnlyPlugin). */
export abstract class MergeOnlyPlugin extends Plugin {
  override inferDtype(): DType {
    // strax merges the inputs' fields in data-type name order, first occurrence wins.
    const names = Object.keys(this.depDtypes).sort();
    return DType.merge(names.map((n) => this.depDtypes[n]!));
  }
  override compute(inputs: InputsByKind): ComputeResult {
    const kinds = Object.keys(inputs);
    if (kinds.length !== 1) throw new Error(`${this.className}: merge-only plugins take one data kind`);
    return inputs[kinds[0]!]!;
  }
}
