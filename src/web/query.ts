// Query parameters of microstrax's routes, checked: every bad value is a 400 naming the parameter.

import { badRequest } from './http-error.js';

/** Longest text parameter accepted (a selection string; run ids and type names are far shorter). */
export const MAX_PARAM_LENGTH = 500;

const RUN_ID = /^[A-Za-z0-9_]{1,64}$/;
const DATA_TYPE = /^[a-z_][a-z0-9_]{0,63}$/;

/** straxen's run id rule: all digits and not 6 long → zero-padded to 6 (000123, 012100). Only
 * letters, digits and '_' are accepted, so no run id can name a path. */
export function normaliseRunId(text: string): string {
  if (!RUN_ID.test(text))
    throw badRequest(
      `run_id '${clip(text)}' is not a run id: use digits (e.g. 012100) or letters, digits and _`,
    );
  return /^\d+$/.test(text) && text.length !== 6 ? BigInt(text).toString().padStart(6, '0') : text;
}

export function checkDataType(text: string, param = 'target'): string {
  if (!DATA_TYPE.test(text))
    throw badRequest(`${param} '${clip(text)}' is not a data type name (lower-case letters, digits, _)`);
  return text;
}

export class QueryParams {
  private readonly seen = new Set<string>();

  constructor(
    private readonly params: URLSearchParams,
    private readonly known: readonly string[],
  ) {
    for (const k of new Set(params.keys())) {
      if (!known.includes(k))
        throw badRequest(`unknown parameter '${clip(k)}': this route takes ${known.join(', ')}`);
      if (params.getAll(k).length > 1) throw badRequest(`parameter '${k}' is given more than once`);
    }
  }

  text(name: string): string | undefined {
    this.seen.add(name);
    const v = this.params.get(name);
    if (v === null) return undefined;
    if (v.length > MAX_PARAM_LENGTH)
      throw badRequest(
        `parameter '${name}' is ${v.length} characters long; the limit is ${MAX_PARAM_LENGTH}`,
      );
    return v;
  }

  required(name: string): string {
    const v = this.text(name);
    if (v === undefined || v === '') throw badRequest(`parameter '${name}' is required`);
    return v;
  }

  int(name: string, dflt: number): number {
    const v = this.text(name);
    if (v === undefined) return dflt;
    if (!/^[-+]?\d{1,15}$/.test(v.trim())) throw badRequest(`${name} must be an integer, got '${clip(v)}'`);
    return Number(v.trim());
  }

  float(name: string): number | undefined {
    const v = this.text(name);
    if (v === undefined) return undefined;
    const x = v.trim() === '' ? NaN : Number(v);
    if (!Number.isFinite(x)) throw badRequest(`${name} must be a finite number of seconds, got '${clip(v)}'`);
    return x;
  }
}

/** Untrusted text shortened for an error message. */
export function clip(s: string, n = 60): string {
  const printable = s.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > n ? `${printable.slice(0, n)}...` : printable;
}
