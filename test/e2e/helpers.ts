// End-to-end helpers: a reference run's inputs copied into a fresh folder and every stored data
// type compared with the reference (the CLIs run through test/helpers/cli.ts).

import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { compareRecords, type Agreement } from '../../src/core/compare.js';
import { loadAllWithMetadata } from '../../src/storage/load-all.js';
import { referenceDataDir, runNumber } from '../helpers/reference.js';
import { tempDir } from '../helpers/tmp.js';

/** A temp folder holding the run's raw_records and its JSON files (config, gains, thresholds, maps). */
export function stageReferenceRun(run: string): string {
  const ref = referenceDataDir(run);
  const dir = tempDir(`straxts-e2e-${run}-`);
  for (const f of readdirSync(ref)) {
    if (f.endsWith('.json') || /^\d+-raw_records-[a-z0-9]{10}$/.test(f))
      cpSync(join(ref, f), join(dir, f), { recursive: true });
  }
  return dir;
}

/** The reference's data folders RUN-TYPE-HASH. */
export function referenceFolders(run: string): string[] {
  return readdirSync(referenceDataDir(run))
    .filter((f) => /^\d+-[a-z0-9_]+-[a-z0-9]{10}$/.test(f))
    .sort();
}

export interface TypeAgreement {
  dataType: string;
  folder: string;
  agreement: Agreement;
}

/** Every data type of the reference run: same folder (lineage hash) in dir, same rows and values. */
export async function compareWithReference(
  run: string,
  dir: string,
  types?: readonly string[],
): Promise<TypeAgreement[]> {
  const id = runNumber(run);
  const out: TypeAgreement[] = [];
  const have = new Set(readdirSync(dir));
  for (const folder of referenceFolders(run)) {
    const dataType = folder.slice(id.length + 1, -11);
    if (types && !types.includes(dataType)) continue;
    expect(
      have.has(folder),
      `${folder} missing in ${dir} (have ${[...have].filter((f) => f.includes(`-${dataType}-`)).join(', ') || 'none'})`,
    ).toBe(true);
    const a = await loadAllWithMetadata(referenceDataDir(run), id, dataType);
    const b = await loadAllWithMetadata(dir, id, dataType, { hash: a.key.lineageHash });
    out.push({ dataType, folder, agreement: compareRecords(a.records, b.records, { rtol: 1e-6 }) });
  }
  return out;
}

/** One line per data type: rows, fields exact / within tolerance / differing, largest relative difference. */
export function agreementTable(run: string, rows: readonly TypeAgreement[]): string {
  const lines = [`agreement with the reference, ${run}:`];
  for (const { dataType, folder, agreement: ag } of rows) {
    const exact = ag.fields.filter((f) => f.exact).length;
    const within = ag.fields.filter((f) => !f.exact && f.mismatched === 0).length;
    const bad = ag.fields.filter((f) => f.mismatched > 0).length;
    const maxRel = Math.max(0, ...ag.fields.map((f) => f.maxRelDiff));
    lines.push(
      `  ${dataType.padEnd(24)} ${folder.slice(-10)} rows ${String(ag.rowsB).padStart(7)}/${String(ag.rowsA).padEnd(7)} ` +
        `fields exact ${exact}, within 1e-6 ${within}, differ ${bad}; max rel ${maxRel.toExponential(1)} ${ag.ok ? 'OK' : 'DIFFERS'}`,
    );
  }
  return lines.join('\n');
}

/** The straxer arguments of the reference context on a staged folder. */
export function referenceArgs(run: string, dir: string): string[] {
  return [
    '--context',
    'reference',
    '--add_folder',
    dir,
    '--config_from_json',
    join(dir, `${runNumber(run)}-config.json`),
  ];
}
