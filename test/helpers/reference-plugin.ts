// One way to get a plugin configured as the reference run's straxen context configured it: the
// context's real path (defaults, type checks, child options, URL options resolved by straxts'
// resolver, input dtypes inferred from the upstream plugins, setup run), not a hand-made copy.

import { join } from 'node:path';
import { installOptionResolver } from '../../src/config/option-resolver.js';
import { referencePreset } from '../../src/config/presets.js';
import { Context } from '../../src/core/context/context.js';
import type { Plugin, PluginClass } from '../../src/core/plugin.js';
import { VANILLA_PLUGINS } from '../../src/plugins/index.js';
import { referenceDataDir, runNumber } from './reference.js';

export interface ReferencePlugin<P extends Plugin> {
  plugin: P;
  /** The options the lineage tracks, as the context computed them. */
  tracked: Record<string, unknown>;
}

/** The plugin providing `cls`'s last data type, configured for `run` (overrides win). */
export async function referencePlugin<P extends Plugin>(
  cls: PluginClass<P>,
  run: string,
  overrides: Readonly<Record<string, unknown>> = {},
): Promise<ReferencePlugin<P>> {
  const preset = referencePreset(join(referenceDataDir(run), `${runNumber(run)}-config.json`), overrides);
  const ctx = new Context();
  ctx.warn = () => {};
  ctx.register(...VANILLA_PLUGINS, cls);
  ctx.setConfig(preset.config);
  installOptionResolver(ctx, preset.resolver);
  const dataType = new cls().provides.at(-1)!;
  const plugin = (await ctx.getSinglePlugin(runNumber(run), dataType)) as P;
  return { plugin, tracked: { ...plugin.lineage[dataType]![2] } };
}
