// A plugin whose one input batch may become several output chunks (strax DownChunkingPlugin),
// e.g. to keep huge outputs in bounded pieces. Each piece names its own [start, end): pieces
// must be contiguous and together span the batch's range.

import {
  Plugin,
  type ComputeRange,
  type ComputeResult,
  type InputsByKind,
  type SourceOutput,
} from '../plugin.js';
import type { OptionList } from '../option-schema.js';

export abstract class DownChunkingPlugin<O extends OptionList = OptionList> extends Plugin<O> {
  override readonly parallel: boolean = false;

  /** Yield the output pieces of one input batch, in time order. */
  abstract computePieces(
    inputs: InputsByKind,
    range: ComputeRange,
  ): Iterable<SourceOutput> | AsyncIterable<SourceOutput>;

  override compute(): ComputeResult {
    throw new Error(
      `${this.className} is a down-chunking plugin: the engine calls computePieces(), not compute()`,
    );
  }
}
