// A plugin's lineage entry as strax builds it: [class, version, tracked options], each value as
// Python holds it (floats stay floats), the run's settings overriding defaults.

import { lineageValue } from '../../../src/core/options.js';
import type { Plugin } from '../../../src/core/plugin.js';

export function lineageEntry(
  plugin: Plugin,
  settings: Record<string, unknown>,
): [string, string, Record<string, unknown>] {
  const opts: Record<string, unknown> = {};
  for (const o of plugin.options) {
    if (o.track === false) continue;
    opts[o.name] = lineageValue(o.name in settings ? settings[o.name] : o.default, o.type);
  }
  return [plugin.className, plugin.version, opts];
}
