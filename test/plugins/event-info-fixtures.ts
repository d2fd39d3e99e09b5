// Checks shared by the event_positions … event_info_double golden tests (their plugins come from
// configuredPlugin: the reference run's configuration through the context's real path).

import { expect } from 'vitest';
import { compareRecords, formatAgreement, type Agreement } from '../../src/core/compare.js';
import type { DType } from '../../src/core/dtype.js';
import type { Plugin } from '../../src/core/plugin.js';
import { Records } from '../../src/core/records.js';
import { lineageHash } from '../../src/core/lineage.js';
import type { Lineage } from '../../src/core/storage-api.js';
import { loadNpy, metadata, optionsText, timeRange } from './event-chain-fixtures.js';

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
