// GET /get_data: straxen microstrax's one route. Parameters, the load estimate from the chunk
// list, the load and return limits, then the rows through the context's load path.
//
// Memory stays bounded whatever is asked: the load estimate is refused above max_load_mb before
// anything is read, chunks are read one at a time, and rows are kept only up to max_n and
// max_return_mb (loading stops as soon as either is reached).

import { Records } from '../core/records.js';
import { parseSelection, selectionMask } from '../core/context/expression.js';
import type { DataMetadata } from '../storage/metadata.js';
import { badRequest, tooLarge } from './http-error.js';
import { QueryParams, checkDataType, clip, normaliseRunId } from './query.js';
import type { StoredData } from './stored-data.js';

export interface Limits {
  /** Refuse requests whose chunks hold more than this many MB (uncompressed). */
  maxLoadMb: number;
  /** Refuse answers whose rows hold more than this many MB (binary, before JSON). */
  maxReturnMb: number;
}

export const DEFAULT_LIMITS: Limits = { maxLoadMb: 1000, maxReturnMb: 10 };

export interface GetDataRequest {
  runId: string;
  target: string;
  /** null: no limit (max_n ≤ 0). */
  maxN: number | null;
  /** [start, end] in seconds since the run start. */
  seconds?: [number, number];
  selection?: string;
}

export const GET_DATA_PARAMS = ['run_id', 'target', 'max_n', 'start', 'end', 'selection'] as const;

export function parseGetData(search: URLSearchParams): GetDataRequest {
  const q = new QueryParams(search, GET_DATA_PARAMS);
  const runId = normaliseRunId(q.required('run_id'));
  const target = checkDataType(q.required('target'));
  const maxN = q.int('max_n', 1000);
  const start = q.float('start');
  const end = q.float('end');
  const selection = q.text('selection');
  const req: GetDataRequest = { runId, target, maxN: maxN > 0 ? maxN : null };
  if ((start === undefined) !== (end === undefined))
    throw badRequest('give both start and end (seconds since the run start), or neither');
  if (start !== undefined && end !== undefined) {
    if (!(end > start)) throw badRequest(`end (${end}) must be after start (${start})`);
    if (Math.abs(start) > 1e9 || Math.abs(end) > 1e9)
      throw badRequest('start and end are seconds since the run start: at most 1e9 in size');
    req.seconds = [start, end];
  }
  if (selection !== undefined && selection.trim() !== '') {
    try {
      parseSelection(selection);
    } catch (e) {
      throw badRequest(selectionProblem(e));
    }
    req.selection = selection;
  }
  return req;
}

function selectionProblem(e: unknown): string {
  if (e instanceof RangeError) return 'selection is nested too deeply';
  return (e as Error).message;
}

const MB = 1e6;

/** straxen's estimate: bytes of the chunks a request touches, and the range to load (cut at the
 * chunk whose end passes max_n rows counted in chunks fully inside the range). */
export function loadEstimate(
  md: DataMetadata,
  range: readonly [bigint, bigint] | null,
  maxN: number | null,
): { bytes: number; range: [bigint, bigint] | null } {
  const chunks = md.chunks;
  let r: [bigint, bigint] | null = range
    ? [range[0], range[1]]
    : chunks.length
      ? [chunks[0]!.start, chunks[chunks.length - 1]!.end]
      : null;
  if (r === null || maxN === null) return { bytes: chunks.reduce((s, c) => s + c.nbytes, 0), range: r };
  let bytes = 0;
  let atLeast = 0;
  for (const c of chunks) {
    if (c.start > r[1] || c.end < r[0]) continue;
    bytes += c.nbytes;
    if (c.start > r[0] && c.end < r[1]) atLeast += c.n;
    if (atLeast > maxN) {
      r = [r[0], c.end];
      break;
    }
  }
  return { bytes, range: r };
}

export async function getData(data: StoredData, req: GetDataRequest, limits: Limits): Promise<Records> {
  const { runId, target, maxN } = req;
  const md = await data.locate(runId, target);
  if (md.chunks.length === 0)
    throw badRequest(
      `${target} of run ${runId} has no chunks yet: its first chunk has not been written (or writing is stuck)`,
    );
  let range: [bigint, bigint] | null = null;
  if (req.seconds) {
    const t0 = await data.runStart(runId, md);
    range = [t0 + nsOf(req.seconds[0]), t0 + nsOf(req.seconds[1])];
  }
  const est = loadEstimate(md, range, maxN);
  if (est.bytes > limits.maxLoadMb * MB)
    throw tooLarge(
      `cannot load ${target} of run ${runId}: it would take ${(est.bytes / MB).toFixed(1)} MB, more than the load limit of ${limits.maxLoadMb} MB (--max_load_mb); give max_n or a narrower start/end`,
    );
  if (req.selection !== undefined) checkSelectionFields(req.selection, md);
  const loadRange = est.range!;
  if (!md.chunks.some((c) => c.end > loadRange[0] && c.start < loadRange[1]))
    return Records.empty(md.dtype, 0);

  const parts: Records[] = [];
  let n = 0;
  const maxBytes = limits.maxReturnMb * MB;
  const iter = data.iterate(runId, target, loadRange, req.selection);
  try {
    for await (const c of iter) {
      let rows = c.data;
      if (maxN !== null && n + rows.length > maxN) rows = rows.slice(0, maxN - n);
      if (rows.length) parts.push(rows);
      n += rows.length;
      if (n * md.dtype.itemsize > maxBytes)
        throw tooLarge(
          `not sending ${target} of run ${runId}: ${n} rows are already ${((n * md.dtype.itemsize) / MB).toFixed(1)} MB, more than the return limit of ${limits.maxReturnMb} MB (--max_return_mb); lower max_n`,
        );
      if (maxN !== null && n >= maxN) break;
    }
  } finally {
    await iter.return(undefined);
  }
  if (parts.length === 0) return Records.empty(md.dtype, 0);
  return Records.concat(parts, parts[0]!.dtype);
}

/** Seconds → ns as straxen computes it (int(seconds · 1e9)). */
function nsOf(seconds: number): bigint {
  return BigInt(Math.trunc(seconds * 1e9));
}

/** A selection naming a field the data lacks is the caller's mistake, caught before loading. */
function checkSelectionFields(selection: string, md: DataMetadata): void {
  try {
    selectionMask(Records.empty(md.dtype, 0), selection);
  } catch (e) {
    throw badRequest(`selection '${clip(selection)}' does not fit ${md.dataType}: ${selectionProblem(e)}`);
  }
}
