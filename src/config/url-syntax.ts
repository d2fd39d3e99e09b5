// straxen's URL-style option values, "proto1://proto2://ARG?key=value&...": parsing into a
// protocol tree, and the normalisation straxen applies before an option enters the lineage
// (query keys sorted, values re-spelled as Python prints them).

import type { PyValue } from '../core/python/literal.js';
import { parseQueryValue, pyStr } from '../core/python/value.js';

export const SCHEME_SEP = '://';

export type Kwargs = Record<string, PyValue>;

/** One protocol applied to an argument (text or a nested protocol) with keyword arguments. */
export interface UrlNode {
  protocol: string;
  arg: string | UrlNode;
  kwargs: Kwargs;
}

/** What the parser needs to know of a protocol: whether it exists and which kwargs it takes. */
export type ProtocolSignature = (
  protocol: string,
) => { params: readonly string[]; anyKwargs: boolean } | undefined;

/** Python urllib's unquote_plus: '+' is a space, %xx are UTF-8 bytes (bad ones replaced). */
function unquotePlus(text: string): string {
  const s = text.replace(/\+/g, ' ');
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  let out = '';
  const flush = () => {
    if (bytes.length) {
      out += Buffer.from(bytes).toString('utf8');
      bytes.length = 0;
    }
  };
  for (let i = 0; i < s.length; i++) {
    const m = s[i] === '%' ? /^[0-9a-fA-F]{2}$/.exec(s.slice(i + 1, i + 3)) : null;
    if (m) {
      bytes.push(parseInt(m[0], 16));
      i += 2;
      continue;
    }
    flush();
    out += s[i];
  }
  flush();
  return out;
}

/** The query of a URL as urllib.parse.urlparse finds it (after the first '?', before any '#'). */
function queryOf(url: string): string {
  const clean = url.replace(/[\t\r\n]/g, '');
  const noFragment = clean.split('#', 1)[0]!;
  const q = noFragment.indexOf('?');
  return q < 0 ? '' : noFragment.slice(q + 1);
}

/** parse_qs with blank values dropped: key → list of decoded values, in first-seen key order. */
function parseQs(query: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const field of query.split('&')) {
    if (!field) continue;
    const eq = field.indexOf('=');
    if (eq < 0) continue;
    const value = field.slice(eq + 1);
    if (!value) continue;
    const key = unquotePlus(field.slice(0, eq));
    const list = out.get(key) ?? [];
    list.push(unquotePlus(value));
    out.set(key, list);
  }
  return out;
}

/** straxen's split_url_kwargs: the text before the first '?' and the parsed query values. */
export function splitUrlKwargs(url: string): { path: string; kwargs: Kwargs } {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const kwargs: Kwargs = {};
  for (const [k, values] of parseQs(queryOf(url))) {
    kwargs[k] = values.length === 1 ? parseQueryValue(values[0]!) : values.map(parseQueryValue);
  }
  return { path, kwargs };
}

/** straxen's format_url_kwargs: rebuild a URL with its (and extra) kwargs sorted by key. */
export function formatUrlKwargs(url: string, extra: Kwargs = {}): string {
  const { path, kwargs } = splitUrlKwargs(url);
  const all: Kwargs = { ...kwargs, ...extra };
  const parts: string[] = [];
  for (const k of Object.keys(all).sort(pyCompare)) {
    const v = all[k]!;
    if (Array.isArray(v)) for (const x of v) parts.push(`${k}=${pyStr(x)}`);
    else parts.push(`${k}=${pyStr(v)}`);
  }
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

/** Python's default string ordering (by code point), not JS's UTF-16 ordering. */
function pyCompare(a: string, b: string): number {
  const x = [...a],
    y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d) return d;
  }
  return x.length - y.length;
}

/** True when the value is a URL straxen would dispatch (a string containing '://'). */
export function isUrl(value: unknown): value is string {
  return typeof value === 'string' && value.includes(SCHEME_SEP);
}

/**
 * The value an option contributes to the lineage, as straxen's URLConfig preprocessors leave
 * it: URLs get their query keys sorted and values re-spelled; the removed cmt protocol is
 * rejected. Anything else is returned unchanged.
 */
export function normalizeOptionValue(value: unknown, optionName = 'option'): unknown {
  if (typeof value !== 'string') return value;
  if (/cmt:\/\//.test(value)) {
    throw new Error(
      `${optionName}: the cmt:// protocol was removed from straxen; use xedocs:// or corrections:// (value ${value})`,
    );
  }
  return isUrl(value) ? formatUrlKwargs(value) : value;
}

/**
 * straxen's url_to_ast: a literal (no '://' or an unknown protocol) stays a string; otherwise
 * the protocol tree, where every query parameter is offered to every level and each level
 * keeps those its protocol accepts.
 */
export function urlToAst(
  url: string,
  signature: ProtocolSignature,
  inherited: Kwargs = {},
): string | UrlNode {
  if (!url.includes(SCHEME_SEP)) return url;
  const at = url.indexOf(SCHEME_SEP);
  const protocol = url.slice(0, at);
  const sig = signature(protocol);
  if (!sig) return url;
  const { path, kwargs: own } = splitUrlKwargs(url.slice(at + SCHEME_SEP.length));
  const kwargs: Kwargs = { ...inherited, ...own };
  const arg = path.includes(SCHEME_SEP) ? urlToAst(path, signature, kwargs) : path;
  const kept: Kwargs = {};
  for (const k of Object.keys(kwargs).sort(pyCompare)) {
    if (sig.anyKwargs || sig.params.includes(k)) kept[k] = kwargs[k]!;
  }
  return { protocol, arg, kwargs: kept };
}
