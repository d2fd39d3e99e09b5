// straxer's exit codes: bad usage is one line on stderr and exit 2 (nothing logged, nothing
// processed); a failure while processing is exit 1; `straxts compare` exits 0 / 1.

import { writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Chunk } from '../../src/core/chunk.js';
import { DataDirectory } from '../../src/storage/data-directory.js';
import { loadAllWithMetadata } from '../../src/storage/load-all.js';
import { ROOT, ensureBuilt, runTool } from '../helpers/cli.js';
import { referenceDataDir } from '../helpers/reference.js';
import { tempDir } from '../helpers/tmp.js';
import { referenceArgs, stageReferenceRun } from './helpers.js';

beforeAll(() => ensureBuilt(), 600_000);

describe('straxer bad usage: one line, exit 2', () => {
  let dir = '';
  let cwd = '';
  beforeAll(() => {
    dir = stageReferenceRun('run012100');
    cwd = tempDir('straxts-e2e-cwd-');
  });
  const ref = () => referenceArgs('run012100', dir);
  const cases: [string, () => string[], RegExp][] = [
    ['unknown run', () => ['099999', '--target', 'peak_basics', ...ref()], /unknown run 099999/],
    ['unknown target', () => ['012100', '--target', 'peak_basicz', ...ref()], /unknown target 'peak_basicz'/],
    [
      'bad JSON in --config_kwargs',
      () => ['012100', '--config_kwargs', '{"elife": ', ...ref()],
      /--config_kwargs: not valid JSON/,
    ],
    [
      'bad JSON in --context_kwargs',
      () => ['012100', '--context_kwargs', 'nope', ...ref()],
      /--context_kwargs: not valid JSON/,
    ],
    ['unknown option', () => ['012100', '--frobnicate', ...ref()], /unknown option '--frobnicate'/],
    ['unknown context', () => ['012100', '--context', 'xenon1t'], /unknown context 'xenon1t'/],
    [
      'reference without a config file',
      () => ['012100', '--context', 'reference', '--add_folder', dir],
      /needs a straxen config JSON/,
    ],
    ['bad number', () => ['012100', '--workers', 'many', ...ref()], /--workers/],
    ['run list without index', () => ['--run_list', join(dir, 'runs.txt'), ...ref()], /needs --index/],
    [
      'index past the run list',
      () => ['--run_list', join(dir, 'runs.txt'), '--index', '5', ...ref()],
      /past the end/,
    ],
    [
      'unknown context argument',
      () => ['012100', '--context_kwargs', '{"colour": "red"}', ...ref()],
      /unknown argument 'colour'/,
    ],
    [
      'config value of the wrong type',
      () => ['012100', '--config_kwargs', '{"n_top_pmts": "many"}', ...ref()],
      /n_top_pmts/,
    ],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      writeFileSync(join(dir, 'runs.txt'), '# runs\n012100\n');
      const before = readdirSync(dir).sort();
      const r = await runTool('straxer', args(), cwd);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(readdirSync(dir).sort()).toEqual(before);
      expect(readdirSync(cwd)).toEqual([]);
    });
  }
});

/** Data of the type was written with its failure recorded, and is not taken as stored. */
function expectFailedNotComplete(dir: string, dataType: string): void {
  const entries = new DataDirectory(dir, { readonly: true })
    .entries()
    .filter((e) => e.key.dataType === dataType);
  expect(entries.length).toBeGreaterThan(0);
  for (const e of entries) {
    expect(e.complete).toBe(false);
    expect(e.problem).toBe('writing failed');
  }
}

const FAILING_PLUGIN = (pluginModule: string) => `
import { Plugin } from ${JSON.stringify(pluginModule)};
export class BrokenPeakThing extends Plugin {
  provides = ['broken_peak_thing'];
  dependsOn = ['peak_basics'];
  version = '0.0.1';
  inferDtype() { return this.depDtypes['peak_basics']; }
  compute() { throw new Error('this plugin always fails'); }
}
`;

describe('straxer processing failures: exit 1', () => {
  it('a registered plugin that throws stops the job with exit 1, its data marked failed', async () => {
    const dir = stageReferenceRun('run012100');
    const cwd = tempDir('straxts-e2e-cwd-');
    const file = join(cwd, 'broken.mjs');
    writeFileSync(file, FAILING_PLUGIN(join(ROOT, 'dist', 'src', 'core', 'plugin.js')));
    const r = await runTool(
      'straxer',
      [
        '012100',
        '--target',
        'broken_peak_thing',
        '--register_from_file',
        file,
        ...referenceArgs('run012100', dir),
      ],
      cwd,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/this plugin always fails/);
    expectFailedNotComplete(dir, 'broken_peak_thing');
  }, 300_000);

  it('a corrupt raw_records chunk stops the job with exit 1', async () => {
    const dir = stageReferenceRun('run012100');
    const cwd = tempDir('straxts-e2e-cwd-');
    const rr = readdirSync(dir).find((f) => f.includes('-raw_records-'))!;
    const chunk = readdirSync(join(dir, rr)).find((f) => /-000002$/.test(f))!;
    writeFileSync(join(dir, rr, chunk), Buffer.from('not an lz4 frame'));
    const r = await runTool(
      'straxer',
      ['012100', '--target', 'peaklets', ...referenceArgs('run012100', dir)],
      cwd,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/corrupt chunk/);
    expectFailedNotComplete(dir, 'peaklets');
  }, 300_000);
});

/** A copy of a reference data type with the first row's area changed by 1 %. */
async function alteredCopy(runId: string, dataType: string): Promise<string> {
  const { records, metadata: md } = await loadAllWithMetadata(
    referenceDataDir(`run${runId}`),
    runId,
    dataType,
  );
  records.f32('area')[0] = records.f32('area')[0]! * 1.01;
  const dir = tempDir('straxts-e2e-altered-');
  const key = { runId, dataType, lineage: md.lineage, lineageHash: md.lineageHash };
  const saver = await new DataDirectory(dir).saver(key, {
    runId,
    dataType,
    dataKind: md.dataKind,
    dtype: md.dtypeText,
    lineage: md.lineage,
    lineageHash: md.lineageHash,
    compressor: md.compressor,
    chunkTargetSizeMb: md.chunkTargetSizeMb,
  });
  const start = md.chunks[0]!.start,
    end = md.chunks[md.chunks.length - 1]!.end;
  await saver.save(
    new Chunk({
      runId,
      dataType,
      dataKind: md.dataKind,
      start,
      end,
      data: records,
      targetSizeMb: md.chunkTargetSizeMb,
    }),
  );
  await saver.close();
  return dir;
}

describe('straxts compare', () => {
  it('exit 0 when two copies agree, 1 when they differ', async () => {
    const cwd = tempDir('straxts-e2e-cwd-');
    const same = await runTool(
      'straxts',
      ['compare', referenceDataDir('run012100'), referenceDataDir('run012100'), '012100', 'peak_basics'],
      cwd,
    );
    expect(same.code).toBe(0);
    expect(same.stdout.split('\n')[0]).toMatch(/^AGREE: 530 rows, 24 fields/);
    expect(same.stdout).not.toMatch(/^area /m); // agreeing fields only with --all
    const all = await runTool(
      'straxts',
      [
        'compare',
        referenceDataDir('run012100'),
        referenceDataDir('run012100'),
        '012100',
        'peak_basics',
        '--all',
      ],
      cwd,
    );
    expect(all.stdout).toMatch(/^area +exact +0 /m);
    const other = await alteredCopy('012100', 'peak_basics');
    const diff = await runTool(
      'straxts',
      ['compare', referenceDataDir('run012100'), other, '012100', 'peak_basics'],
      cwd,
    );
    expect(diff.code).toBe(1);
    expect(diff.stdout.split('\n')[0]).toBe('DISAGREE: 1 of 24 fields differ');
    expect(diff.stdout).toMatch(/^area +DIFFERS +1 /m);
    expect(diff.stdout).not.toMatch(/^time /m);
    const bad = await runTool('straxts', ['compare', '/no/such/dir', other, '012100', 'peak_basics'], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
  }, 300_000);
});
