// Records and compute results in a form worker threads can post (structured clone keeps typed
// arrays; class instances lose their prototype, so DTypes travel as their fields).

import { Chunk } from '../chunk.js';
import { DType, type Field, type TypedArray } from '../dtype.js';
import { Records } from '../records.js';
import { markSoleOwner } from './hand-over.js';
import type { ComputeResult, SourceOutput } from '../plugin.js';

export interface WireDType {
  fields: Field[];
  itemsize: number;
}
export interface WireRecords {
  dtype: WireDType;
  length: number;
  columns: Record<string, TypedArray>;
}
export type WireResult =
  | { kind: 'records'; records: WireRecords }
  | { kind: 'dict'; byType: Record<string, WireRecords> }
  | { kind: 'source'; start: bigint; end: bigint; data: WireResult }
  | {
      kind: 'chunk';
      start: bigint;
      end: bigint;
      dataType: string;
      dataKind: string;
      runId: string;
      records: WireRecords;
    };

export const dtypeToWire = (d: DType): WireDType => ({
  fields: d.fields.map((f) => ({ ...f, shape: [...f.shape] })),
  itemsize: d.itemsize,
});
export const dtypeFromWire = (w: WireDType): DType => new DType(w.fields, w.itemsize);

export function recordsToWire(r: Records): WireRecords {
  return { dtype: dtypeToWire(r.dtype), length: r.length, columns: r.columns };
}

export function recordsFromWire(w: WireRecords): Records {
  return new Records(dtypeFromWire(w.dtype), w.length, w.columns);
}

/** Buffers a worker may hand over without copying (it made them and keeps no reference). */
export function transferList(w: WireResult): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (r: WireRecords): void => {
    for (const c of Object.values(r.columns))
      if (c.buffer instanceof ArrayBuffer && c.byteLength > 0) out.add(c.buffer);
  };
  const walk = (x: WireResult): void => {
    if (x.kind === 'records' || x.kind === 'chunk') add(x.records);
    else if (x.kind === 'dict') Object.values(x.byType).forEach(add);
    else walk(x.data);
  };
  walk(w);
  return [...out];
}

export function resultToWire(r: ComputeResult): WireResult {
  if (r instanceof Records) return { kind: 'records', records: recordsToWire(r) };
  if (r instanceof Chunk) {
    return {
      kind: 'chunk',
      start: r.start,
      end: r.end,
      dataType: r.dataType,
      dataKind: r.dataKind,
      runId: r.runId,
      records: recordsToWire(r.data),
    };
  }
  const s = r as SourceOutput;
  if (typeof s.start === 'bigint' && typeof s.end === 'bigint' && 'data' in s) {
    return { kind: 'source', start: s.start, end: s.end, data: resultToWire(s.data as ComputeResult) };
  }
  const byType: Record<string, WireRecords> = {};
  for (const [k, v] of Object.entries(r as Record<string, Records>)) {
    if (!(v instanceof Records))
      throw new Error(`compute result entry '${k}' is not Records (workers pass Records only)`);
    byType[k] = recordsToWire(v);
  }
  return { kind: 'dict', byType };
}

/** A worker's result; its buffers are marked sole-owned (the worker transferred them and kept
 * no reference). */
export function resultFromWire(w: WireResult): ComputeResult {
  const r = fromWire(w);
  markSoleOwner(
    ...Object.values(r instanceof Records ? { r } : r instanceof Chunk ? { r: r.data } : byType(r)),
  );
  return r;
}

function byType(r: ComputeResult): Record<string, Records> {
  const s = r as SourceOutput;
  if (typeof s.start === 'bigint' && 'data' in s) {
    const d = s.data as ComputeResult;
    return d instanceof Records ? { d } : byType(d);
  }
  return r as Record<string, Records>;
}

function fromWire(w: WireResult): ComputeResult {
  switch (w.kind) {
    case 'records':
      return recordsFromWire(w.records);
    case 'dict': {
      const o: Record<string, Records> = {};
      for (const [k, v] of Object.entries(w.byType)) o[k] = recordsFromWire(v);
      return o;
    }
    case 'source':
      return {
        start: w.start,
        end: w.end,
        data: fromWire(w.data) as Records | Record<string, Records>,
      };
    case 'chunk':
      return new Chunk({
        runId: w.runId,
        dataType: w.dataType,
        dataKind: w.dataKind,
        start: w.start,
        end: w.end,
        data: recordsFromWire(w.records),
      });
  }
}
