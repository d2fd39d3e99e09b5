// What a new user meets in the first hour: --version everywhere, `straxts ls` finding the demo's
// ./strax_data, .npy exports numpy 2 loads, the physics summary (straxer's and `straxts
// summary`), straxer --debug, and a progress counter that counts the input's chunks.

import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, runTool, TOOLS } from '../helpers/cli.js';
import { loadReferenceNpy, REFERENCE, referenceDataDir, referenceFolder } from '../helpers/reference.js';
import { tempDir as makeTempDir } from '../helpers/tmp.js';

beforeAll(() => ensureBuilt(), 300_000);

// Scratch folders of this file, removed when it ends (also when a test fails).
const scratch: string[] = [];
const tempDir = (prefix?: string): string => {
  const d = makeTempDir(prefix);
  scratch.push(d);
  return d;
};
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('--version', () => {
  it('every tool prints "TOOL (straxts) VERSION" and exits 0', async () => {
    const cwd = tempDir('straxts-fh-');
    for (const tool of TOOLS) {
      const r = await runTool(tool, ['--version'], cwd);
      expect(r.code, tool).toBe(0);
      expect(r.stdout).toBe(`${tool} (straxts) ${VERSION}\n`);
      expect(r.stderr).toBe('');
    }
  });
});

describe('straxts ls without a folder', () => {
  it('lists ./strax_data when . holds no strax data, and says so', async () => {
    const cwd = tempDir('straxts-fh-');
    mkdirSync(join(cwd, 'strax_data'));
    const folder = referenceFolder('run012100', 'event_info');
    cpSync(join(referenceDataDir('run012100'), folder), join(cwd, 'strax_data', folder), { recursive: true });
    const r = await runTool('straxts', ['ls'], cwd);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('listing ./strax_data\n');
    expect(r.stdout).toMatch(/^012100 +event_info +v6nldh6daf +1 +65 /m);

    const empty = await runTool('straxts', ['ls'], tempDir('straxts-fh-'));
    expect(empty.stderr).toBe('listing .\n');
    expect(empty.stdout).toBe('no strax data in .\n');
  });
});

describe('straxts export for numpy 2', () => {
  it('np.load reads --no_titles exports as they are, titled ones with max_header_size', async () => {
    const cwd = tempDir('straxts-fh-');
    const dir = referenceDataDir('run012100');
    for (const type of ['event_info', 'event_info_double', 'peak_basics']) {
      const titled = join(cwd, `${type}.npy`),
        plain = join(cwd, `${type}-plain.npy`);
      expect((await runTool('straxts', ['export', dir, '012100', type, '--out', titled], cwd)).code).toBe(0);
      const r = await runTool('straxts', ['export', dir, '012100', type, '--out', plain, '--no_titles'], cwd);
      expect(r.code, r.stderr).toBe(0);
      // The README's recipe, run by the real numpy.
      const py = [
        'import sys, numpy as np',
        'a = np.load(sys.argv[1])',
        'b = np.load(sys.argv[2], max_header_size=200000)',
        'assert a.dtype.names == b.dtype.names and a.tobytes() == b.tobytes()',
        // numpy 2 refuses event_info's long titled header without max_header_size.
        "if sys.argv[3] == 'event_info':",
        '    try:',
        '        np.load(sys.argv[2])',
        "        raise SystemExit('the titled header loaded without max_header_size')",
        '    except ValueError as e:',
        "        assert 'max_header_size' in str(e)",
        'print(len(a), np.__version__)',
      ].join('\n');
      const out = execFileSync('python3', ['-c', py, plain, titled, type], { encoding: 'utf8' });
      expect(Number(out.split(' ')[0])).toBe(loadReferenceNpy('run012100', type).records.length);
    }
  });
});

describe('straxts summary', () => {
  it('events, rate, peak counts and ranges of a stored run', async () => {
    const cwd = tempDir('straxts-fh-');
    const r = await runTool('straxts', ['summary', referenceDataDir('run012100'), '012100'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const peaks = loadReferenceNpy('run012100', 'peak_basics').records.col('type') as Int8Array; // peak_basics.type is int8
    const count = (t: number) => Array.from(peaks).filter((x) => x === t).length;
    const events = loadReferenceNpy('run012100', 'event_info').records;
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Physics summary of run 012100 (5.0 s):');
    expect(lines[1]).toMatch(
      new RegExp(`^  events: ${events.length}, ${(events.length / 5).toFixed(2)} Hz; `),
    );
    expect(lines[2]).toBe(
      `  peaks: ${count(1)} S1, ${count(2)} S2, ${peaks.length - count(1) - count(2)} unclassified`,
    );
    expect(r.stdout).toMatch(/^ {2}cS1: .* PE \(median .*\)$/m);
    expect(r.stdout).toMatch(/^ {2}drift time: .* µs/m);
    expect(r.stdout).toMatch(/^ {2}dead time: 0\.0 ms in 0 software-veto intervals/m);

    const none = await runTool('straxts', ['summary', referenceDataDir('run012100'), '999999'], cwd);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^straxts: no data of run 999999 in /);
  });
});

describe('straxer on a simulated run', () => {
  it('--debug logs debug lines; progress counts raw_records chunks; the physics summary closes the log', async () => {
    const cwd = tempDir('straxts-fh-');
    const sim = await runTool('straxts', ['simulate', '000021', '--duration', '3s'], cwd);
    expect(sim.code, sim.stderr).toBe(0);
    const chunks = /in (\d+) chunks/.exec(sim.stdout)![1];
    const r = await runTool(
      'straxer',
      ['000021', '--target', 'event_info_double', '--debug', '--config_kwargs', '{"elfe": 1}'],
      cwd,
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ - straxer - DEBUG - load: raw_records; compute: /);
    expect(r.stdout).toMatch(/ - straxer - DEBUG - event_info_double chunk 1 ends at \d+ ns/);
    const progress = r.stdout.split('\n').filter((l) => / raw_records chunk \d+ of \d+,/.test(l));
    expect(progress.at(-1)).toContain(`raw_records chunk ${chunks} of ${chunks},`);
    expect(r.stdout).toContain(
      "option 'elfe' is set but no plugin of this context takes it: is it misspelt?",
    );
    expect(r.stdout).not.toMatch(/freeOptions|forbidCreationOf/);
    expect(r.stdout).toMatch(/INFO - Physics summary of run 000021 \(3\.0 s\):/);
    expect(r.stdout).toMatch(/INFO - {3}events: \d+, [\d.]+ Hz; \d+ with both a main S1 and a main S2/);
    expect(r.stdout).toMatch(/INFO - {3}cS2: /);
    // straxts summary of the stored run says the same.
    const s = await runTool('straxts', ['summary', 'strax_data', '000021'], cwd);
    const summaryLines = s.stdout.trimEnd().split('\n');
    expect(summaryLines).toHaveLength(7);
    for (const line of summaryLines) expect(r.stdout).toContain(` - straxer - INFO - ${line}\n`);
  });

  it('a run without raw_records says how to point straxer at them, in user words', async () => {
    const cwd = tempDir('straxts-fh-');
    expect((await runTool('straxts', ['simulate', '000022', '--duration', '1s'], cwd)).code).toBe(0);
    const data = join(cwd, 'strax_data');
    for (const f of readdirSync(data))
      if (f.includes('-raw_records-')) rmSync(join(data, f), { recursive: true });
    const r = await runTool('straxer', ['000022', '--target', 'peaklets'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'straxer: raw_records of run 000022 is not stored, and this context forbids creating it; ' +
        'straxer does not make raw_records: give --add_folder DIR with the folder holding them\n',
    );
  });

  it("the README's reprocessing recipe: stage a reference run, process it, compare", async () => {
    const cwd = tempDir('straxts-fh-');
    const staged = execFileSync(
      'bash',
      [join(ROOT, 'scripts', 'stage-reference-run.sh'), '012100', 'reprocess'],
      // The script looks beside the clone; the tests may run from a clone elsewhere.
      { cwd, encoding: 'utf8', env: { ...process.env, STRAXTS_REFERENCE: REFERENCE } },
    );
    expect(staged).toContain('012100-raw_records-bfuo5eu7dq');
    expect(readdirSync(join(cwd, 'reprocess')).sort()).toEqual(
      [
        '012100-config.json',
        '012100-hit_thresholds.json',
        '012100-raw_records-bfuo5eu7dq',
        '012100-to_pe.json',
        'map_one.json',
        'map_zbias.json',
        'map_zero.json',
      ].sort(),
    );
    const args =
      '012100 --target event_info_double --context reference --add_folder reprocess --config_from_json reprocess/012100-config.json';
    const r = await runTool('straxer', args.split(' '), cwd);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const cmp = await runTool(
      'straxts',
      ['compare', 'reprocess', referenceDataDir('run012100'), '012100', 'event_info_double'],
      cwd,
    );
    expect(cmp.code).toBe(0);
    expect(cmp.stdout.split('\n')[0]).toBe('AGREE: 65 rows, 218 fields (215 exact, 3 within tolerance)');
    const bad = spawnSync('bash', [join(ROOT, 'scripts', 'stage-reference-run.sh'), '099999', 'x'], {
      cwd,
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/no reference run 099999 under /);
  });
});
