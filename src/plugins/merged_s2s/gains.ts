// PMT gains (PE per ADC·sample) from a gain_model option once the context has resolved its URL.

import type { Plugin } from '../../core/plugin.js';

export function gainsOption(plugin: Plugin, name: string): Float64Array {
  const v = plugin.config[name];
  if (typeof v === 'string') {
    throw new Error(
      `${plugin.className}: option '${name}' is still the URL '${v}'; resolve it to per-channel gains before processing`,
    );
  }
  if (v instanceof Float64Array) return v;
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return Float64Array.from(v as ArrayLike<number>, Number);
  throw new Error(`${plugin.className}: option '${name}' must be a list of per-channel gains`);
}
