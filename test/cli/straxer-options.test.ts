// straxer's arguments: straxen's names and defaults, run selection (RUN_ID or --run_list with
// --index / $SLURM_ARRAY_TASK_ID), JSON arguments, and the storage flags' effect on frontends.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CommanderError } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { Context } from '../../src/core/context/context.js';
import type { DataKey, StorageFrontend } from '../../src/core/storage-api.js';
import { RestrictedFrontend, RunInfoFrontend, unwrapFrontend } from '../../src/named-contexts/frontends.js';
import { StraxerUsageError } from '../../src/cli/straxer/errors.js';
import { parseStraxerArgs } from '../../src/cli/straxer/options.js';
import {
  contextArgsFrom,
  contextOptionsFrom,
  normalizeRunId,
  parseConfigKwargs,
  parseJsonObject,
  selectRun,
} from '../../src/cli/straxer/run-select.js';
import { applyStorageFlags } from '../../src/cli/straxer/storage-setup.js';
import { PyFloat } from '../../src/core/python/float.js';
import { DataDirectory } from '../../src/storage/data-directory.js';
import { tempDir } from '../helpers/tmp.js';

describe('parseStraxerArgs', () => {
  it('straxen defaults', () => {
    const o = parseStraxerArgs(['012100']);
    expect(o).toMatchObject({
      runId: '012100',
      targets: ['event_info'],
      context: 'xenonnt_online',
      package: 'straxts',
      maxMessages: 4,
      workers: 1,
      printAlive: 300,
      fromScratch: false,
      multiTarget: false,
      buildLowlevel: false,
      onlyStraxData: false,
    });
    expect(o.timeout).toBeUndefined();
    expect(o.addFolder).toBeUndefined();
  });

  it('every option under its straxen name', () => {
    const o = parseStraxerArgs([
      '000042',
      '--target',
      'peaks',
      'events',
      '--context',
      'reference',
      '--context_kwargs',
      '{}',
      '--config_kwargs',
      '{"a": 1}',
      '--config_from_json',
      'c.json',
      '--register_from_file',
      'p.mjs',
      '--from_scratch',
      '--max_messages',
      '8',
      '--timeout',
      '60',
      '--workers',
      '3',
      '--multiprocess',
      '--multi_target',
      '--notlazy',
      '--shm',
      '--profile_to',
      'prof',
      '--profile_ram',
      '--diagnose_sorting',
      '--debug',
      '--build_lowlevel',
      '--only_strax_data',
      '--add_folder',
      'd',
      '--print_alive',
      '2.5',
      '--rundb',
      'sqlite:x.db',
      '--index',
      '1',
    ]);
    expect(o).toMatchObject({
      runId: '000042',
      targets: ['peaks', 'events'],
      context: 'reference',
      contextKwargs: '{}',
      configKwargs: '{"a": 1}',
      configFromJson: 'c.json',
      registerFromFile: 'p.mjs',
      fromScratch: true,
      maxMessages: 8,
      timeout: 60,
      workers: 3,
      multiprocess: true,
      multiTarget: true,
      notlazy: true,
      shm: true,
      profileTo: 'prof',
      profileRam: true,
      diagnoseSorting: true,
      debug: true,
      buildLowlevel: true,
      onlyStraxData: true,
      addFolder: 'd',
      printAlive: 2.5,
      rundb: 'sqlite:x.db',
      index: 1,
    });
  });

  it('bad numbers and unknown options are commander errors (exit 2 in the CLI)', () => {
    const quiet = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      for (const bad of [
        ['--workers', '0'],
        ['--max_messages', 'x'],
        ['--timeout', '-1'],
        ['--nonsense'],
        ['a', 'b'],
      ]) {
        expect(() => parseStraxerArgs(bad)).toThrow(CommanderError);
      }
    } finally {
      quiet.mockRestore();
    }
  });
});

describe('run selection', () => {
  it('numeric ids are zero-padded to 6 digits, others kept; padding is idempotent', () => {
    expect(normalizeRunId('12100')).toBe('012100');
    expect(normalizeRunId('012100')).toBe('012100');
    expect(normalizeRunId('1234567')).toBe('1234567');
    expect(normalizeRunId('_superrun')).toBe('_superrun');
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_]{1,12}$/),
        (id) => normalizeRunId(normalizeRunId(id)) === normalizeRunId(id),
      ),
    );
    for (const bad of ['', '01-2', 'a b', '../x'])
      expect(() => normalizeRunId(bad)).toThrow(StraxerUsageError);
  });

  it('--run_list picks line N (comments and blank lines skipped), or $SLURM_ARRAY_TASK_ID', () => {
    const list = join(tempDir(), 'runs.txt');
    writeFileSync(list, '# campaign\n012100\n\n  12200  # busy run\n');
    expect(selectRun({ runList: list, index: 0 }, {})).toBe('012100');
    expect(selectRun({ runList: list, index: 1 }, {})).toBe('012200');
    expect(selectRun({ runList: list }, { SLURM_ARRAY_TASK_ID: '1' })).toBe('012200');
    expect(() => selectRun({ runList: list, index: 2 }, {})).toThrow(/past the end.*2 runs/);
    expect(() => selectRun({ runList: list }, {})).toThrow(/--index/);
    expect(() => selectRun({ runId: '1', runList: list, index: 0 }, {})).toThrow(/not both/);
    expect(() => selectRun({}, {})).toThrow(/RUN_ID/);
    expect(() => selectRun({ runId: '1', index: 0 }, {})).toThrow(/--run_list/);
  });
});

describe('JSON arguments', () => {
  it('--config_kwargs keeps Python float-ness, refuses non-objects', () => {
    const c = parseConfigKwargs('{"elife": 1.5e7, "n": 28, "g": 28.0}');
    expect(c['g']).toBeInstanceOf(PyFloat);
    expect(c['n']).toBe(28);
    for (const bad of ['[1]', '3', '{', 'null'])
      expect(() => parseConfigKwargs(bad)).toThrow(StraxerUsageError);
  });

  it('--context_kwargs: straxen names to context arguments, types checked', () => {
    expect(contextArgsFrom(parseJsonObject('{"output_folder": "/d", "we_are_the_daq": true}', 'x'))).toEqual({
      outputFolder: '/d',
      weAreTheDaq: true,
    });
    expect(() => contextArgsFrom({ output_folder: 3 })).toThrow(/must be a string/);
    expect(() => contextArgsFrom({ allow_multiprocess: true })).toThrow(/unknown argument/);
  });

  it('--context_kwargs: strax context options (save_buffer_mb, allow_rechunk) kept apart, types checked', () => {
    const kw = parseJsonObject('{"output_folder": "/d", "save_buffer_mb": 50, "allow_rechunk": false}', 'x');
    expect(contextArgsFrom(kw)).toEqual({ outputFolder: '/d' });
    expect(contextOptionsFrom(kw)).toEqual({ save_buffer_mb: 50, allow_rechunk: false });
    expect(() => contextOptionsFrom({ save_buffer_mb: 0 })).toThrow(
      /'save_buffer_mb' must be a positive number/,
    );
    expect(() => contextOptionsFrom({ allow_rechunk: 'no' })).toThrow(/'allow_rechunk' must be a boolean/);
  });
});

class FakeFrontend implements StorageFrontend {
  readonly name = 'fake';
  constructor(
    readonly readonly: boolean,
    private readonly types: string[],
  ) {}
  async isStored(key: DataKey): Promise<boolean> {
    return this.types.includes(key.dataType);
  }
  load(): AsyncIterable<never> {
    throw new Error('not here');
  }
  async saver(): Promise<never> {
    throw new Error('saver called');
  }
}

const key = (dataType: string): DataKey => ({
  runId: '000001',
  dataType,
  lineage: {},
  lineageHash: 'aaaaaaaaaa',
});

describe('frontend views and storage flags', () => {
  it('RestrictedFrontend: take_only hides other types, read-only refuses saving', async () => {
    const inner = new FakeFrontend(false, ['raw_records', 'peaks']);
    const only = new RestrictedFrontend(inner, { takeOnly: ['raw_records'] });
    expect(await only.isStored(key('raw_records'))).toBe(true);
    expect(await only.isStored(key('peaks'))).toBe(false);
    const ro = new RestrictedFrontend(inner, { readonly: true });
    expect(ro.readonly).toBe(true);
    await expect(ro.saver(key('peaks'), {} as never)).rejects.toThrow(/read-only/);
    expect(unwrapFrontend(new RestrictedFrontend(ro, {}))).toBe(inner);
  });

  it('--add_folder: everything else read-only, DIR last and writable; --from_scratch keeps only raw_records', () => {
    const base = tempDir();
    const mk = () =>
      new Context({
        storage: [new RunInfoFrontend(), new DataDirectory(join(base, 'a'), { create: false })],
      });
    const ctx = mk();
    const dir = join(base, 'out');
    expect(
      applyStorageFlags(ctx, { fromScratch: false, onlyStraxData: false, addFolder: dir }, join(base, 'a')),
    ).toBe(dir);
    expect(ctx.storage.slice(0, -1).every((f) => f.readonly)).toBe(true);
    const last = ctx.storage[ctx.storage.length - 1]!;
    expect(last).toBeInstanceOf(DataDirectory);
    expect((last as DataDirectory).path).toBe(dir);
    expect(last.readonly).toBe(false);

    const scratch = mk();
    const cwd = process.cwd();
    process.chdir(base);
    try {
      expect(applyStorageFlags(scratch, { fromScratch: true, onlyStraxData: false }, join(base, 'a'))).toBe(
        './strax_data',
      );
    } finally {
      process.chdir(cwd);
    }
    expect(scratch.storage.slice(0, 2).every((f) => f instanceof RestrictedFrontend)).toBe(true);
  });
});
