// The one way tests get a configured plugin: through the context's real path (defaults, option
// type checks, child options, URL options resolved by straxts' resolver, input dtypes inferred
// from the upstream plugins, lineage, setup run) with a reference run's configuration (or another
// preset's), not a hand-made copy of that path.

import { join } from 'node:path';
import { installOptionResolver } from '../../src/config/option-resolver.js';
import { referencePreset, type PresetSetup } from '../../src/config/presets.js';
import { Context } from '../../src/core/context/context.js';
import type { Plugin, PluginClass } from '../../src/core/plugin.js';
import { VANILLA_PLUGINS } from '../../src/plugins/index.js';
import { referenceDataDir, runNumber } from './reference.js';

export interface ConfiguredPlugin<P extends Plugin> {
  plugin: P;
  /** The options the lineage tracks, as the context computed them. */
  tracked: Record<string, unknown>;
}

/** A preset (config and resolver) and the run id to configure for, instead of a reference run. */
export interface PresetRun {
  preset: PresetSetup;
  runId: string;
}

/** The plugin making `target` (a plugin class, registered over the vanilla one, or a data type;
 * a class stands for its last data type), configured as the reference `run` was (its config
 * file over straxen's vanilla values) or by a preset, `config` winning. Rejects as the context
 * would refuse. */
export async function configuredPlugin<P extends Plugin>(
  target: PluginClass<P> | string,
  run: string | PresetRun,
  config: Readonly<Record<string, unknown>> = {},
): Promise<ConfiguredPlugin<P>> {
  const { preset, runId } =
    typeof run === 'string'
      ? {
          preset: referencePreset(join(referenceDataDir(run), `${runNumber(run)}-config.json`), config),
          runId: runNumber(run),
        }
      : { preset: { ...run.preset, config: { ...run.preset.config, ...config } }, runId: run.runId };
  const ctx = new Context();
  ctx.warn = () => {};
  ctx.register(...VANILLA_PLUGINS);
  if (typeof target !== 'string') ctx.register(target);
  ctx.setConfig(preset.config);
  installOptionResolver(ctx, preset.resolver);
  const dataType = typeof target === 'string' ? target : new target().provides.at(-1)!;
  const plugin = (await ctx.getSinglePlugin(runId, dataType)) as P;
  return { plugin, tracked: { ...plugin.lineage[dataType]![2] } };
}
