// Files that option values point to by name (straxen's resource:// protocol): looked up in a
// list of folders (the config file's folder first, then the working directory), then among the
// resources straxts bundles, and read in the requested format.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { isAbsolute, resolve } from 'node:path';
import { PyFloat } from '../core/python/float.js';
import { pyJsonParse, type PyJson } from '../core/python/json.js';
import { BUNDLED_RESOURCES } from './bundled-resources.js';

export type ResourceFormat = 'text' | 'txt' | 'json' | 'json.gz' | 'binary' | 'abs_path';

const FORMATS = new Set<string>(['text', 'txt', 'json', 'json.gz', 'binary', 'abs_path']);

/** Where a resource name was found: a file path, or the name of a bundled resource. */
export type ResourceLocation = { kind: 'file'; path: string } | { kind: 'bundled'; name: string };

/** Find a resource: an absolute path as is, else the first search folder holding it, else bundled. */
export function locateResource(name: string, searchDirs: readonly string[]): ResourceLocation {
  if (isAbsolute(name)) {
    if (existsSync(name) && statSync(name).isFile()) return { kind: 'file', path: name };
  } else {
    for (const dir of searchDirs) {
      const p = resolve(dir, name);
      if (existsSync(p) && statSync(p).isFile()) return { kind: 'file', path: p };
    }
  }
  if (name in BUNDLED_RESOURCES) return { kind: 'bundled', name };
  if (name.includes('://')) {
    throw new Error(
      `resource '${name}': straxts does not download resources; save the file locally and name its path`,
    );
  }
  const where = isAbsolute(name)
    ? 'at that path'
    : `in ${searchDirs.length ? searchDirs.join(', ') : '(no search folders)'}`;
  throw new Error(
    `resource '${name}' not found ${where}: put the file beside the config file or give its absolute path`,
  );
}

/** JSON that may hold # or // comments outside strings (straxen reads json with commentjson). */
export function parseCommentedJson(text: string, what: string): unknown {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') {
        out += text[i + 1] ?? '';
        i++;
      } else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    if (ch === '#' || (ch === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
      continue;
    }
    out += ch;
  }
  try {
    return JSON.parse(out);
  } catch {
    // Python's json also reads NaN and Infinity: its dialect's parser, then plain JS values.
  }
  return plainValues(pyJsonParse(out, `resource ${what}`));
}

/** PyFloat unwrapped and big integers as numbers, as JSON.parse gives them. */
function plainValues(v: PyJson): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(plainValues);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = plainValues(x);
    return o;
  }
  return v;
}

const cache = new Map<string, unknown>();

/** Forget cached resource contents (e.g. after files changed on disk). */
export function clearResourceCache(): void {
  cache.clear();
}

/** Read a resource in a format: text, json (comments allowed), json.gz, binary, or abs_path. */
export function loadResource(name: string, fmt: string, searchDirs: readonly string[]): unknown {
  if (!FORMATS.has(fmt)) {
    throw new Error(
      `resource '${name}': format '${fmt}' is not supported by straxts (use json, json.gz, text or binary)`,
    );
  }
  const loc = locateResource(name, searchDirs);
  const key = `${fmt}::${loc.kind === 'file' ? loc.path : `bundled:${loc.name}`}`;
  if (cache.has(key)) return cache.get(key);
  let value: unknown;
  if (loc.kind === 'bundled') {
    const content = BUNDLED_RESOURCES[loc.name]!;
    if (fmt === 'abs_path')
      throw new Error(`resource '${name}' is bundled with straxts and has no file path`);
    value = fmt === 'json' || fmt === 'json.gz' ? structuredClone(content) : JSON.stringify(content);
    if (fmt === 'binary') value = new TextEncoder().encode(value as string);
  } else if (fmt === 'abs_path') {
    value = loc.path;
  } else {
    const bytes = readFileSync(loc.path);
    switch (fmt) {
      case 'binary':
        value = new Uint8Array(bytes);
        break;
      case 'text':
      case 'txt':
        value = bytes.toString('utf8');
        break;
      case 'json':
        value = parseCommentedJson(bytes.toString('utf8'), loc.path);
        break;
      case 'json.gz':
        value = parseCommentedJson(gunzipSync(bytes).toString('utf8'), loc.path);
        break;
    }
  }
  cache.set(key, value);
  return value;
}
