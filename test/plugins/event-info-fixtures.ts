// Set-up for the event_positions … event_info_double golden tests: plugins configured with the
// reference run's configuration, URL values resolved by straxts' own resolver (resource names
// found beside the config file, as straxen found them in its working directory).

import { expect } from 'vitest';
import { compareRecords, formatAgreement, type Agreement } from '../../src/core/compare.js';
import type { DType } from '../../src/core/dtype.js';
import type { Plugin } from '../../src/core/plugin.js';
import { Records } from '../../src/core/records.js';
import { lineageHash } from '../../src/core/lineage.js';
import type { Lineage } from '../../src/core/storage-api.js';
import { resolveUrlConfig } from '../../src/config/url-config.js';
import { normalizeOptionValue } from '../../src/config/url-syntax.js';
import { referenceDataDir, runNumber } from '../helpers/reference.js';
import { loadNpy, metadata, optionsText, runConfig, timeRange } from './event-chain-fixtures.js';

/** Configure a plugin as the reference run was (defaults + run config), resolving URL values. */
export async function configureResolved<P extends Plugin>(
  plugin: P,
  depTypes: readonly string[],
  run: string,
): Promise<{ plugin: P; tracked: Record<string, unknown> }> {
  const cfg = runConfig(run);
  const tracked: Record<string, unknown> = {};
  const config: Record<string, unknown> = {};
  for (const o of plugin.options) {
    const v = normalizeOptionValue(
      o.name in cfg ? cfg[o.name] : o.defaultFactory ? o.defaultFactory() : o.default,
      o.name,
    );
    if (o.track !== false) tracked[o.name] = v;
    config[o.name] = await resolveUrlConfig(v, {
      runId: runNumber(run),
      searchDirs: [referenceDataDir(run)],
      plugin: cfg,
    });
  }
  plugin.runId = runNumber(run);
  plugin.config = config;
  plugin.depDtypes = Object.fromEntries(depTypes.map((t) => [t, loadNpy(run, t).dtype])) as Record<
    string,
    DType
  >;
  await plugin.setup();
  return { plugin, tracked };
}

/** Same-kind inputs merged column-wise, as strax hands them to compute. */
export function mergedInputs(run: string, types: readonly string[]): Records {
  return Records.mergeColumns(types.map((t) => loadNpy(run, t)));
}

/** Check the plugin's declaration against the reference metadata (dtype, lineage, compressor). */
export function checkDeclaration(
  plugin: Plugin,
  run: string,
  type: string,
  tracked: Record<string, unknown>,
): void {
  const meta = metadata(run, type);
  expect(plugin.inferDtype() as DType).toBeDefined();
  expect((plugin.inferDtype() as DType).toDescr()).toBe(meta.dtype);
  expect(plugin.compressor).toBe(meta.compressor);
  expect(plugin.dataKind).toBe(meta.data_kind);
  const [cls, version, opts] = meta.lineage[type]!;
  expect([plugin.className, plugin.version]).toEqual([cls, version]);
  expect(optionsText(tracked)).toBe(optionsText(opts));
  // With the upstream lineage as stored, the whole lineage hashes to the stored folder hash.
  expect(
    lineageHash({ ...meta.lineage, [type]: [plugin.className, plugin.version, tracked] } as Lineage),
  ).toBe(meta.lineage_hash);
}

/** Compute on the reference inputs and compare with the reference output (floats within 1e-6). */
export async function runGolden(
  plugin: Plugin,
  run: string,
  type: string,
  inputs: Record<string, Records>,
): Promise<Agreement> {
  const { start, end } = timeRange(run, type);
  const got = (await plugin.compute(inputs, { start, end, chunkI: 0 })) as Records;
  const ag = compareRecords(got, loadNpy(run, type), { rtol: 1e-6 });
  if (!ag.ok || process.env.SHOW_AGREEMENT) console.log(`${run} ${type}\n${formatAgreement(ag)}`);
  return ag;
}

/** Fields that are not bit-identical (for the report). */
export function inexactFields(ag: Agreement): string[] {
  return ag.fields.filter((f) => !f.exact).map((f) => `${f.field} (${f.maxRelDiff.toExponential(1)})`);
}
