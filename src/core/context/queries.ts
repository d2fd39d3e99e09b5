// Questions about registered plugins that need no processing: option table, field search.

import { defaultOf, hasDefault } from '../options.js';
import type { Plugin } from '../plugin.js';
import { optionsOf } from './graph.js';
import type { PluginRegistry } from './registry.js';

export interface ConfigRow {
  option: string;
  default: unknown;
  current: unknown;
  appliesTo: readonly string[];
  help: string;
}

export const OMITTED = '<OMITTED>';

/** fnmatch-style pattern (* ? [..]) as a RegExp. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const j = pattern.indexOf(']', i + 1);
      if (j < 0) re += '\\[';
      else {
        re += '[' + pattern.slice(i + 1, j).replace(/^!/, '^') + ']';
        i = j;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Options of one data type's plugin (or every plugin), matching pattern. */
export function showConfig(
  registry: PluginRegistry,
  config: Readonly<Record<string, unknown>>,
  dataType?: string,
  pattern = '*',
): ConfigRow[] {
  const re = globToRegExp(pattern);
  const regs = dataType ? [registry.get(dataType)] : registry.all();
  const rows: ConfigRow[] = [];
  for (const r of regs) {
    for (const o of optionsOf(r.proto)) {
      if (!re.test(o.name)) continue;
      rows.push({
        option: o.name,
        default: hasDefault(o) ? defaultOf(o, r.proto.className) : OMITTED,
        current: o.name in config ? config[o.name] : OMITTED,
        appliesTo: r.proto.provides,
        help: o.help ?? '',
      });
    }
  }
  return rows;
}

export interface FieldMatch {
  field: string;
  dataType: string;
  plugin: string;
}

/** Fields (fnmatch pattern) of every registered data type, given each plugin's dtypes. */
export function searchFields(plugins: readonly Plugin[], pattern: string): FieldMatch[] {
  const re = globToRegExp(pattern);
  const out: FieldMatch[] = [];
  const types = plugins
    .flatMap((p) => p.provides.map((d) => [d, p] as const))
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [d, p] of types) {
    for (const f of p.dtypeFor(d).names)
      if (re.test(f)) out.push({ field: f, dataType: d, plugin: p.className });
  }
  return out;
}
