// The plugin contract: what a data type is made from and how. Plugins are short declarative
// classes; the context (context/context.ts) configures them and the engine (engine/) drives compute().
//
// Life cycle (as strax): the context constructs a fresh instance per processing run, sets
// runId, config, depDtypes, lineage, infers the dtype, and calls setup() only on plugins that
// will really compute. Engine-side state (overlap caches, input buffers) lives in the engine,
// so a plugin instance only holds what its own setup()/compute() keep.
//
// Worker threads: a plugin with `parallel = true` is computed chunk by chunk on the worker pool
// when the class says where it can be imported from:
//
//   export class PeakBasics extends Plugin {
//     static readonly moduleUrl = import.meta.url;   // the module exporting this class
//     // static readonly exportName = 'PeakBasics';   // only if exported under another name
//     ...
//   }
//
// moduleUrl must be the class's own static (a subclass declares its own). The worker imports
// it, constructs `new Class()` (so the constructor must take no arguments and everything that
// matters must be class-declared: instance-registered plugins' own fields do not travel), gets
// the same config (URL
// options re-resolved in the worker when the resolver has a module, else the resolved values
// structured-cloned), runs setup() once and compute() per chunk. Without moduleUrl, or when
// the config cannot be sent, the plugin computes in the main thread: same output, no speed-up.

import { DType } from './dtype.js';
import type { Records } from './records.js';
import type { Chunk } from './chunk.js';
import type { Lineage } from './storage-api.js';
import type { OptionList, OptionValues } from './option-schema.js';

export enum SaveWhen {
  NEVER = 0,
  EXPLICIT = 1,
  TARGET = 2,
  ALWAYS = 3,
}

export type { OptionSpec, OptionType } from './option-schema.js';

/** Inputs to compute, one Records per data kind (columns of same-kind inputs merged). */
export type InputsByKind = Record<string, Records>;

export interface ComputeRange {
  /** Common time range of the inputs; -1n for both in a source plugin (it alone knows). */
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

/** A plugin class the context can construct (no constructor arguments). */
export interface PluginClass<P extends Plugin = Plugin> {
  new (): P;
  readonly name: string;
  /** Module exporting the class, for worker threads (see the file header). */
  readonly moduleUrl?: string;
  /** Export name in moduleUrl; defaults to the class name. */
  readonly exportName?: string;
}

/** O: the plugin's option list (defineOptions in option-schema.ts), which types this.cfg. */
export abstract class Plugin<O extends OptionList = OptionList> {
  /** Data types this plugin makes (several for a multi-output plugin). */
  abstract readonly provides: readonly string[];
  readonly dependsOn: readonly string[] = [];
  /** Kind of the output; a map data type → kind for multi-output. Defaults to the first input's kind. */
  readonly dataKind?: string | Readonly<Record<string, string>>;
  readonly version: string = '0.0.0';
  readonly options: O = [] as OptionList as O;
  readonly saveWhen: SaveWhen | Readonly<Record<string, SaveWhen>> = SaveWhen.ALWAYS;
  readonly compressor: string = 'blosc';
  /** Safe to compute chunks independently (on a worker pool). */
  readonly parallel: boolean = false;
  /** With worker threads, a parallel plugin computes there unless this is false: for one that
   * does little per byte of input, shipping the inputs costs more than computing them here. */
  readonly computeOnPool: boolean = true;
  readonly rechunkOnSave: boolean | Readonly<Record<string, boolean>> = true;
  readonly chunkTargetSizeMb: number = 200;
  /** Subclasses a registered plugin and renames some of its options (strax child_plugin). */
  readonly childPlugin: boolean = false;
  /** Online sources: give up when isReady() stays false this long (s). */
  readonly inputTimeout: number = 80;
  /** Per-plugin override of the number of chunks in flight. */
  readonly maxMessages?: number;

  /** Python class name, as it appears in the lineage; defaults to the JS class name. */
  get className(): string {
    return this.constructor.name;
  }

  // Set by the context before setup().
  runId = '';
  /** This plugin's option values (Python floats unwrapped to numbers, URL options resolved). */
  config: Record<string, unknown> = {};
  /** Dtypes of the inputs by data type. */
  depDtypes: Readonly<Record<string, DType>> = {};
  /** data type (last provided of each plugin upstream) → [class, version, tracked options]. */
  lineage: Lineage = {};
  /** URL option values the resolver turned into config values (name → resolved value). */
  resolvedOptions: Record<string, unknown> = {};
  /** Output dtypes by provided data type, set by the context from inferDtype(). */
  dtypes: Readonly<Record<string, DType>> = {};

  /** Output dtype per provided data type. May depend on config (read this.config). */
  abstract inferDtype(): DType | Readonly<Record<string, DType>>;

  /** Called once after config is set, before the first compute. */
  setup(): void | Promise<void> {}

  /** One batch of synchronised inputs → output rows for [range.start, range.end). */
  abstract compute(inputs: InputsByKind, range: ComputeRange): ComputeResult | Promise<ComputeResult>;

  /** A plugin whose rows are numbered run-wide (strax's event_number: rows of its data kind
   * counted from the run start) implements this to continue the count when processing resumes
   * after a crash from late in the run: the first row at or after `time` is the `rowsBefore`-th. */
  continueCount?(anchor: { time: bigint; rowsBefore: number }): void;

  /** Source plugins: is chunk chunkI available yet? (online sources poll). */
  isReady(_chunkI: number): boolean | Promise<boolean> {
    return true;
  }

  /** Source plugins: called when isReady is false; true means there are no more chunks. */
  sourceFinished(): boolean | Promise<boolean> {
    throw new Error(`${this.className}: sourceFinished called on a plugin that is not a source`);
  }

  /** Source plugins: what chunk chunkI still waits for (for the input-timeout message). */
  waitingFor(chunkI: number): string {
    return `input chunk ${chunkI}`;
  }

  /** This plugin's option values, typed by its option list. */
  get cfg(): OptionValues<O> {
    return this.config as OptionValues<O>;
  }

  get multiOutput(): boolean {
    return this.provides.length > 1;
  }

  /** Data kind of one provided type. */
  dataKindFor(d: string): string {
    this.checkProvides(d);
    const k = this.dataKind;
    if (typeof k === 'string') return k;
    if (k && typeof k[d] === 'string') return k[d]!;
    throw new Error(`${this.className}: no data kind for ${d} (set dataKind)`);
  }

  saveWhenFor(d: string): SaveWhen {
    this.checkProvides(d);
    const s = this.saveWhen;
    return typeof s === 'number' ? s : (s[d] ?? SaveWhen.ALWAYS);
  }

  /** Highest save-when over the outputs (strax compares that against EXPLICIT). */
  maxSaveWhen(): SaveWhen {
    return Math.max(...this.provides.map((d) => this.saveWhenFor(d)));
  }

  canRechunk(d: string): boolean {
    this.checkProvides(d);
    const r = this.rechunkOnSave;
    return typeof r === 'boolean' ? r : (r[d] ?? true);
  }

  dtypeFor(d: string): DType {
    this.checkProvides(d);
    const dt = this.dtypes[d];
    if (!dt) throw new Error(`${this.className}: dtype of ${d} not inferred yet`);
    return dt;
  }

  private checkProvides(d: string): void {
    if (!this.provides.includes(d))
      throw new Error(`${this.className} does not provide ${d} (provides ${this.provides.join(', ')})`);
  }
}

/** Needs neighbours within a window on both sides (strax OverlapWindowPlugin). The engine keeps
 * the input tail and holds back results that later input could still change (engine/overlap.ts). */
export abstract class OverlapWindowPlugin<O extends OptionList = OptionList> extends Plugin<O> {
  override readonly parallel: boolean = false;
  /** w, or [left, right], in ns. */
  abstract getWindowSize(): number | readonly [number, number];
}

/** Only merges its inputs' columns; no compute of its own (strax MergeOnlyPlugin). */
export abstract class MergeOnlyPlugin<O extends OptionList = OptionList> extends Plugin<O> {
  override readonly saveWhen: SaveWhen | Readonly<Record<string, SaveWhen>> = SaveWhen.EXPLICIT;
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
