// fake_daq and the DAQReader as processes: run012200 replayed and read back byte for byte with
// the straxer command; a simulated run written in real time while straxer is already
// reading it; the run document in the runs database; bad arguments and an existing folder.

import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import {
  daqReaderConfig,
  daqReaderConfigFromRunDoc,
  readoutThreads,
  writeDaqReaderConfig,
} from '../../../src/daq/live-data/index.js';
import { defaultRunStart } from '../../../src/daq/simulator/store-run.js';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openRunDb } from '../../../src/rundb/rundb.js';
import { loadAll } from '../../../src/storage/load-all.js';
import { ensureBuilt, ROOT, runTool } from '../../helpers/cli.js';
import { referenceDataDir } from '../../helpers/reference.js';
import { DB_TARGETS } from '../../helpers/rundb.js';
import { readLiveInProcess, sha1, storedOutput, straxerOnLive } from './helpers.js';
import { tempDir } from '../../helpers/tmp.js';

beforeAll(() => ensureBuilt());

const ok = (r: { code: number | null; stderr: string }, what: string) =>
  expect(r.code, `${what} failed: ${r.stderr}`).toBe(0);

describe('fake_daq → DAQReader (processes)', () => {
  it('run012200 comes back byte for byte (the issue’s straxer command)', async () => {
    const root = tempDir('straxts-live-');
    const live = join(root, 'live', '012200');
    const w = await runTool(
      'fake_daq',
      [
        '--input_path',
        referenceDataDir('run012200'),
        '--input_run',
        '012200',
        '--output',
        live,
        '--threads',
        '3',
      ],
      ROOT,
    );
    ok(w, 'fake_daq');
    expect(w.stdout).toMatch(/^000000: wrote [\d.]+ MB raw/m);
    expect(w.stdout).toMatch(/Fake DAQ done: run 012200, \d+ chunks/);
    expect(readdirSync(live)).toContain('THE_END');
    const out = join(root, 'out');
    const r = await straxerOnLive('012200', live, join(root, 'live', '012200-daq_config.json'), out);
    ok(r, 'straxer');
    const input = await loadAll(referenceDataDir('run012200'), '012200', 'raw_records');
    const got = await storedOutput(out, '012200', 'raw_records');
    expect(got.hash).toBe('rfzvpzj4mf');
    expect(got.records.length).toBe(input.length);
    expect(sha1(got.records)).toBe(sha1(input));
  }, 120_000);

  it('a stored run replayed in real time while straxer, started first, reads it', async () => {
    const root = tempDir('straxts-live-');
    const sim = join(root, 'sim');
    ok(
      await runTool(
        'straxts',
        ['simulate', '000008', '--duration', '4s', '--seed', '4', '-o', sim, '--no-rundb'],
        ROOT,
      ),
      'simulate',
    );
    const live = join(root, 'live', '000008');
    mkdirSync(join(root, 'live'));
    // The DAQReader options are known before the run starts (settings and run start).
    const cfg = join(root, 'live', '000008-daq_config.json');
    const settings = {
      chunkDuration: 1e9,
      overlapDuration: 2e8,
      threads: readoutThreads(8),
      compressor: 'lz4',
      recordLength: 110,
    };
    writeDaqReaderConfig(cfg, daqReaderConfig(settings, defaultRunStart(8)));
    const out = join(root, 'out');
    // straxer first, on a run folder that does not exist yet: it waits for the chunks.
    const reader = straxerOnLive('000008', live, cfg, out, ['raw_records']);
    expect(existsSync(live)).toBe(false);
    const args = [
      '--input_path',
      sim,
      '--input_run',
      '000008',
      '--output',
      live,
      '--chunk_duration',
      '1',
      '--sync_chunk_duration',
      '0.2',
      '--realtime',
    ];
    const [w, r] = await Promise.all([runTool('fake_daq', args, ROOT), reader]);
    ok(w, 'fake_daq --realtime');
    ok(r, 'straxer');
    const want = await loadAll(sim, '000008', 'raw_records');
    const got = await loadAll(out, '000008', 'raw_records');
    expect(got.length).toBe(want.length);
    expect(sha1(got)).toBe(sha1(want));
  }, 180_000);

  it('--simulate writes the run straxts simulate makes with the same seed', async () => {
    const root = tempDir('straxts-live-');
    const live = join(root, 'live', '000010');
    ok(
      await runTool(
        'fake_daq',
        [
          '--simulate',
          '2s',
          '--seed',
          '5',
          '--output',
          live,
          '--chunk_duration',
          '0.5',
          '--sync_chunk_duration',
          '0.05',
          '--compressor',
          'blosc',
        ],
        ROOT,
      ),
      'fake_daq',
    );
    const sim = join(root, 'sim');
    ok(
      await runTool(
        'straxts',
        ['simulate', '000010', '--duration', '2s', '--seed', '5', '-o', sim, '--no-rundb'],
        ROOT,
      ),
      'simulate',
    );
    const out = join(root, 'out');
    await readLiveInProcess('000010', live, join(root, 'live', '000010-daq_config.json'), out, {
      targets: ['raw_records'],
    });
    expect(sha1(await loadAll(out, '000010', 'raw_records'))).toBe(
      sha1(await loadAll(sim, '000010', 'raw_records')),
    );
  }, 120_000);
});

describe('fake_daq --rundb: the run document as the DAQ writes it', () => {
  for (const target of DB_TARGETS) {
    it(
      target.dialect,
      async () => {
        const db = target.fresh();
        try {
          const root = tempDir('straxts-live-');
          const live = join(root, 'live', '004400');
          const w = await runTool(
            'fake_daq',
            [
              '--simulate',
              '3s',
              '--output',
              live,
              '--chunk_duration',
              '1',
              '--sync_chunk_duration',
              '0.1',
              '--threads',
              '4',
              '--compressor',
              'zstd',
              '--rundb',
              db.url,
            ],
            ROOT,
          );
          ok(w, 'fake_daq');
          const rdb = await openRunDb(db.url);
          try {
            const doc = (await rdb.getRun(4400))!;
            expect(doc.start!.getTime() % 1000).toBe(0);
            expect(doc.end!.getTime()).toBeGreaterThan(doc.start!.getTime() + 2900);
            expect(doc.end!.getTime()).toBeLessThanOrEqual(doc.start!.getTime() + 3000);
            expect(doc.mode).toBe('fake_daq_simulation');
            expect(doc.detectors).toEqual(['tpc']);
            expect(doc.daqConfig).toEqual({
              processing_threads: {
                reader0_reader_0: 1,
                reader0_reader_1: 1,
                reader1_reader_0: 1,
                reader1_reader_1: 1,
              },
              strax_chunk_length: 1,
              strax_chunk_overlap: 0.1,
              strax_fragment_payload_bytes: 220,
              compressor: 'zstd',
            });
            const live_ = doc.data!.filter((d) => d.type === 'live');
            expect(live_.map((d) => [d.host, d.location])).toEqual([['daq', join(root, 'live')]]);
            // What bootstrax does: the DAQReader options from the document read the run.
            const runDir = join(live_[0]!.location, '004400');
            const cfg = join(root, 'from-doc.json');
            writeDaqReaderConfig(cfg, daqReaderConfigFromRunDoc(doc.daqConfig, doc.start!, runDir));
            await readLiveInProcess('004400', runDir, cfg, join(root, 'out'), { targets: ['raw_records'] });
            expect((await storedOutput(join(root, 'out'), '004400', 'raw_records')).ranges.length).toBe(3);
          } finally {
            await rdb.close();
          }
        } finally {
          await db.drop();
        }
      },
      60_000,
    );
  }
});

describe('fake_daq bad input: one line on stderr, exit 2, nothing written', () => {
  const cases: [string, string[], RegExp][] = [
    ['no input', ['--output', 'x/000001'], /give --input_path DIR --input_run RUN .*or --simulate/],
    ['both inputs', ['--simulate', '1s', '--input_path', 'a', '--input_run', '1'], /either --simulate/],
    ['bad duration', ['--simulate', 'soon'], /--simulate: cannot read duration 'soon'/],
    [
      'bad compressor',
      ['--simulate', '1s', '--output', 'x/1', '--compressor', 'gzip'],
      /--compressor gzip: use one of/,
    ],
    [
      'bad threads',
      ['--simulate', '1s', '--output', 'x/1', '--threads', '2.5'],
      /--threads must be a positive integer/,
    ],
    [
      'rate and realtime',
      ['--simulate', '1s', '--output', 'x/1', '--rate', '5', '--realtime'],
      /either --rate/,
    ],
    [
      'tiny chunks',
      ['--simulate', '1s', '--output', 'x/1', '--sync_chunk_duration', '1e-7'],
      /at least 1 µs/,
    ],
    ['unknown option', ['--simulate', '1s', '--chunk', '3'], /unknown option '--chunk'/],
    [
      'no stored run',
      ['--input_path', 'nowhere', '--input_run', '000001', '--output', 'x/000001'],
      /no raw_records of run 000001 in nowhere/,
    ],
  ];
  for (const [name, args, msg] of cases) {
    it(name, async () => {
      const cwd = tempDir('straxts-live-');
      const r = await runTool('fake_daq', args, cwd);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
      expect(readdirSync(cwd)).toEqual([]);
    });
  }

  it('a run folder it did not write is kept unless --force; its own is replaced', async () => {
    const root = tempDir('straxts-live-');
    const live = join(root, '000009');
    mkdirSync(live);
    writeFileSync(join(live, 'precious'), 'data');
    const args = [
      '--simulate',
      '2s',
      '--output',
      live,
      '--chunk_duration',
      '0.5',
      '--sync_chunk_duration',
      '0.1',
    ];
    const refused = await runTool('fake_daq', args, root);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already exists and was not written by fake_daq: .*--force/);
    expect(readdirSync(live)).toEqual(['precious']);
    ok(await runTool('fake_daq', [...args, '--force'], root), 'fake_daq --force');
    expect(readdirSync(live)).not.toContain('precious');
    ok(await runTool('fake_daq', args, root), 'fake_daq over its own folder');
    expect(readdirSync(live)).toContain('THE_END');
  }, 60_000);
});
