// Helpers for the end-to-end tests on simulated runs: `straxts ls` as rows, the data types straxer must leave stored, folder-by-folder comparison
// of two data directories, and the truth matching of a simulated run.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { compareRecords, type Agreement } from '../../src/core/compare.js';
import { matchTruth, type MatchResult, type TruthEntryLike } from '../../src/daq/truth-matching.js';
import { loadAll, loadAllWithMetadata } from '../../src/storage/load-all.js';
import { ROOT, runTool, type ToolRun } from '../helpers/cli.js';

/** `straxts simulate RUN -o DATA_DIR ...`; throws with the tool's output when it fails. */
export async function simulate(
  run: string,
  dataDir: string,
  args: readonly string[],
  cwd: string,
): Promise<ToolRun> {
  const r = await runTool('straxts', ['simulate', run, '-o', dataDir, ...args], cwd);
  if (r.code !== 0) throw new Error(`straxts simulate ${run} failed (exit ${r.code}): ${r.stderr}`);
  return r;
}

export interface LsRow {
  run: string;
  dataType: string;
  hash: string;
  chunks: string;
  rows: number;
  complete: string;
}

/** `straxts ls DIR` as rows (one data directory, so no directory column). */
export async function lsRows(dir: string): Promise<LsRow[]> {
  const r = await runTool('straxts', ['ls', dir], ROOT);
  if (r.code !== 0) throw new Error(`straxts ls ${dir} failed (exit ${r.code}): ${r.stderr}`);
  const out: LsRow[] = [];
  // run, type, hash, chunks, rows, size ("24.9 kB"), compressor, complete ("yes" / "no (why)")
  const line = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+\S+ \S+\s+\S+\s+(yes|no.*)$/;
  for (const l of r.stdout.split('\n').slice(2)) {
    const m = line.exec(l.trim());
    if (m)
      out.push({
        run: m[1]!,
        dataType: m[2]!,
        hash: m[3]!,
        chunks: m[4]!,
        rows: Number(m[5]),
        complete: m[6]!,
      });
  }
  return out;
}

/** What straxer stores on the way to a target of the vanilla chain: the target and every output
 * whose plugin saves it ALWAYS (records TARGET, peaks EXPLICIT, events and energy_estimates only
 * as targets). Written out, not derived from the plugin classes: a change of a save rule must
 * show up here. */
const STORED_FOR = {
  event_info_double: [
    'corrected_areas',
    'distinct_channels',
    'event_basics',
    'event_info',
    'event_info_double',
    'event_positions',
    'lone_hits',
    'merged_s2s',
    'peak_basics',
    'peak_positions',
    'peak_proximity',
    'peaklet_classification',
    'peaklets',
    'pulse_counts',
    'raw_records',
    'veto_regions',
  ],
  peak_basics: [
    'lone_hits',
    'merged_s2s',
    'peak_basics',
    'peaklet_classification',
    'peaklets',
    'pulse_counts',
    'raw_records',
    'veto_regions',
  ],
} as const;

export function expectedStoredTypes(target: keyof typeof STORED_FOR): string[] {
  return [...STORED_FOR[target]];
}

/** Folder names RUN-TYPE-HASH (with `_temp` ones) in a data directory. */
export function dataFolders(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^[A-Za-z0-9_]+-[a-z0-9_]+-[a-z0-9]{10}(_temp)?$/.test(f))
    .sort();
}

/** straxer run with bad usage in cwd: exit 2, one 'straxer: ...' line matching message, nothing written. */
export async function expectStraxerUsageError(
  args: readonly string[],
  cwd: string,
  message: RegExp,
): Promise<void> {
  const before = dataFolders(join(cwd, 'strax_data'));
  const r = await runTool('straxer', args, cwd);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^straxer: /);
  expect(lines[0]).toMatch(message);
  expect(dataFolders(join(cwd, 'strax_data'))).toEqual(before);
}

export interface FolderAgreement {
  folder: string;
  agreement: Agreement;
}

/** Every data folder of dirA against the same folder (same lineage hash) in dirB, exactly. */
export async function compareDataDirs(dirA: string, dirB: string, run: string): Promise<FolderAgreement[]> {
  const out: FolderAgreement[] = [];
  for (const folder of dataFolders(dirA)) {
    const [, dataType, hash] = /^[A-Za-z0-9_]+-([a-z0-9_]+)-([a-z0-9]{10})$/.exec(folder) ?? [];
    if (!dataType || !hash) throw new Error(`${dirA}/${folder} is not a complete data folder`);
    const a = await loadAllWithMetadata(dirA, run, dataType, { hash });
    const b = await loadAllWithMetadata(dirB, run, dataType, { hash });
    // Same code, same input: every field, floats included, must be identical.
    out.push({ folder, agreement: compareRecords(a.records, b.records, { rtol: 0 }) });
  }
  return out;
}

export interface PhysicsCheck {
  all: MatchResult;
  /** Interactions bright enough that the chain cannot miss them for want of light. */
  clear: number;
  clearFound: number;
}

/** Match a simulated run's truth file against the event_basics straxer stored. */
export async function physicsCheck(
  dataDir: string,
  run: string,
  minS1Photons: number,
  minS2Photons: number,
): Promise<PhysicsCheck> {
  const truth = JSON.parse(readFileSync(join(dataDir, `${run}-truth.json`), 'utf8')) as TruthEntryLike[];
  const meta = JSON.parse(readFileSync(join(dataDir, `${run}-metadata.json`), 'utf8')) as { start: string };
  // Truth times count from the run start; the simulator starts runs on whole seconds, which the
  // metadata's ISO time holds exactly.
  const runStart = BigInt(Date.parse(meta.start)) * 1_000_000n;
  const events = await loadAll(dataDir, run, 'event_basics');
  const all = matchTruth(truth, events, { runStart });
  let clear = 0,
    clearFound = 0,
    k = 0;
  for (const t of truth) {
    if (t.t_s1 === undefined || t.n_s1 === undefined) continue;
    if (t.n_s1 >= minS1Photons && t.n_s2 >= minS2Photons) {
      clear++;
      if (all.eventOf[k]! >= 0) clearFound++;
    }
    k++;
  }
  return { all, clear, clearFound };
}

/** The log line straxer writes with the data types it found stored before processing. */
export function availableBefore(stdout: string): string[] {
  const m = /Available for run \S+: (.*)$/m.exec(stdout);
  if (!m) return [];
  return m[1] === 'nothing' ? [] : m[1]!.split(', ');
}
