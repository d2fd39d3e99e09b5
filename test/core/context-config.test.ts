import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Context } from '../../src/core/context/context.js';
import { DType } from '../../src/core/dtype.js';
import { lineageHash } from '../../src/core/lineage.js';
import { Plugin, type InputsByKind, type OptionSpec } from '../../src/core/plugin.js';
import { PyFloat, pyFloat } from '../../src/core/python/float.js';
import { pyJsonParse } from '../../src/core/python/json.js';
import { Records } from '../../src/core/records.js';
import { SimRawRecords } from '../../src/plugins/raw_records/index.js';
import { PulseProcessing } from '../../src/plugins/records/records.js';
import { bytesOf, fixedDataset, toyContext } from './engine-data.js';
import { PEAK_DTYPE, ToyPeaks } from './engine-fixtures.js';

const REF = '/work/shared/reference';

describe('lineage and keys', () => {
  for (const run of ['012100', '012200']) {
    it(`reproduces strax's records lineage and hash for run ${run}`, () => {
      const dir = join(REF, `run${run}`, 'strax_data');
      const config = pyJsonParse(readFileSync(join(dir, `${run}-config.json`), 'utf8')) as Record<
        string,
        unknown
      >;
      const ctx = new Context({
        register: [SimRawRecords, PulseProcessing],
        config: { ...config, n_tpc_pmts: 494 },
      });
      ctx.warn = () => {};
      const folder = readdirSync(dir).find((f) => f.startsWith(`${run}-records-`))!;
      const md = pyJsonParse(
        readFileSync(
          join(
            dir,
            folder,
            readdirSync(join(dir, folder)).find((f) => f.endsWith('.json'))!,
          ),
          'utf8',
        ),
      ) as Record<string, unknown>;
      const key = ctx.keyFor(run, 'records');
      expect(key.lineageHash).toBe(folder.split('-')[2]);
      expect(lineageHash(md['lineage'] as never)).toBe(key.lineageHash);
      // all outputs of a multi-output plugin share one lineage (keyed by the last provided type)
      expect(ctx.keyFor(run, 'veto_regions').lineageHash).toBe(key.lineageHash);
      expect(Object.keys(key.lineage).sort()).toEqual(['pulse_counts', 'raw_records']);
    });
  }

  it('float options enter the lineage as floats, ints as ints; untracked options are left out', () => {
    const ctx = toyContext(fixedDataset());
    const entry = ctx.lineage('001', 'peaks')['peaks']!;
    expect(entry[0]).toBe('ToyPeaks');
    expect(entry[1]).toBe('0.2.0');
    expect(entry[2]['gain']).toBeInstanceOf(PyFloat);
    expect(Object.keys(entry[2])).toEqual(['gain']);
    const sums = ctx.lineage('001', 'peak_sums');
    expect(Object.keys(sums).sort()).toEqual(['peak_sums', 'peaks', 'records']);
    expect(sums['peak_sums']![2]['window']).toBe(500);
    // As in Python: the default 2.0 is a float; a user's 2 is an int (another hash), pyFloat(2) is 2.0
    const h = ctx.keyFor('001', 'peaks').lineageHash;
    ctx.setConfig({ gain: 2 });
    expect(ctx.lineage('001', 'peaks')['peaks']![2]['gain']).toBe(2);
    expect(ctx.keyFor('001', 'peaks').lineageHash).not.toBe(h);
    ctx.setConfig({ gain: pyFloat(2) });
    expect(ctx.keyFor('001', 'peaks').lineageHash).toBe(h);
    ctx.setConfig({ gain: pyFloat(3) });
    expect(ctx.keyFor('001', 'peaks').lineageHash).not.toBe(h);
    // an untracked option does not change the hash
    ctx.setConfig({ gain: pyFloat(2), fail_at_chunk: 5 });
    expect(ctx.keyFor('001', 'peaks').lineageHash).toBe(h);
  });

  it('child plugins: parent options replaced by child options, base class version in the lineage', async () => {
    class Base extends Plugin {
      override readonly provides: readonly string[] = ['base_peaks'];
      override readonly dependsOn: readonly string[] = ['peaks'];
      override readonly version: string = '1.2.3';
      override readonly options: readonly OptionSpec[] = [
        { name: 'thr', default: 1, type: 'int' },
        { name: 'other', default: 'x', type: 'str' },
      ];
      override inferDtype(): DType {
        return PEAK_DTYPE;
      }
      override compute(inputs: InputsByKind): Records {
        const p = inputs['peaks']!;
        return p
          .filter(Array.from(p.f32('area'), (a) => a >= (this.cfg['thr'] as number)))
          .withDType(PEAK_DTYPE);
      }
    }
    class Child extends Base {
      override readonly provides: readonly string[] = ['child_peaks'];
      override readonly version = '0.0.7';
      override readonly childPlugin = true;
      override readonly options: readonly OptionSpec[] = [
        { name: 'child_thr', default: 100, type: 'int', childOption: true, parentOptionName: 'thr' },
      ];
    }
    const ctx = toyContext(fixedDataset());
    ctx.register(Base, Child);
    const l = ctx.lineage('001', 'child_peaks')['child_peaks']!;
    expect(l[0]).toBe('Child');
    expect(l[2]).toEqual({ child_thr: 100, other: 'x', Base: '1.2.3' });
    const child = await ctx.getArray('001', 'child_peaks');
    const base = await ctx.getArray('001', 'base_peaks');
    expect(child.length).toBeLessThan(base.length);
    for (const a of child.f32('area')) expect(a).toBeGreaterThanOrEqual(100);
  });
});

describe('options are checked', () => {
  it('refuses wrong types with a clear message, warns on unknown names', () => {
    const ctx = toyContext(fixedDataset());
    expect(() => ctx.setConfig({ window: 'wide' })).toThrow(
      /option 'window' of ToyPeakSums must be int, got str "wide"/,
    );
    expect(() => ctx.setConfig({ window: 2.5 })).toThrow(/must be int, got float 2.5/);
    const warnings: string[] = [];
    ctx.warn = (m) => warnings.push(m);
    ctx.setConfig({ windw: 3 });
    ctx.lineage('001', 'peak_sums');
    expect(warnings.join('\n')).toMatch(
      /option 'windw' is set but no plugin of this context takes it: is it misspelt\?/,
    );
  });

  it('a required option without default must be set before computing', async () => {
    class NeedsOpt extends ToyPeaks {
      override readonly provides: readonly string[] = ['needy'];
      override readonly options: readonly OptionSpec[] = [{ name: 'must', type: 'int' }];
    }
    const ctx = toyContext(fixedDataset());
    ctx.register(NeedsOpt);
    expect(Object.keys(ctx.lineage('001', 'needy')['needy']![2])).not.toContain('must');
    await expect(ctx.getArray('001', 'needy')).rejects.toThrow(/Missing option must required by NeedsOpt/);
  });

  it('conflicting defaults of one option name are refused at registration', () => {
    class Other extends ToyPeaks {
      override readonly provides: readonly string[] = ['other'];
      override readonly options: readonly OptionSpec[] = [{ name: 'window', default: 7, type: 'int' }];
    }
    const ctx = toyContext(fixedDataset());
    expect(() => ctx.register(Other)).toThrow(/different default values for option 'window'/);
  });

  it('context options: strax names accepted, wrong values refused, unknown warned', () => {
    const ctx = new Context();
    const w: string[] = [];
    ctx.warn = (m) => w.push(m);
    ctx.setContextConfig({ max_messages: 8, allow_rechunk: false, nonsense: 1 });
    expect(ctx.contextConfig.maxMessages).toBe(8);
    expect(ctx.contextConfig.allowRechunk).toBe(false);
    expect(w[0]).toMatch(/unknown context option 'nonsense'/);
    expect(() => ctx.setContextConfig({ workers: -1 })).toThrow(/context option 'workers'/);
  });
});

describe('URL option resolver', () => {
  class Scaled extends ToyPeaks {
    override readonly provides: readonly string[] = ['scaled'];
    override readonly dependsOn: readonly string[] = ['peaks'];
    override readonly options: readonly OptionSpec[] = [
      { name: 'scales', default: 'list-to-array://resource://scales.json', type: 'list' },
    ];
    override compute(inputs: InputsByKind): Records {
      const p = inputs['peaks']!;
      const s = (this.config as Record<string, unknown>)['scales'] as number[];
      const out = Records.empty(PEAK_DTYPE, p.length);
      for (const n of PEAK_DTYPE.names) out.col(n).set(p.col(n) as never);
      const a = out.f32('area');
      for (let i = 0; i < a.length; i++) a[i] = a[i]! * s[out.i16('channel')[i]!]!;
      return out;
    }
  }
  it('resolves URL strings for plugin.config while the lineage keeps the string', async () => {
    const ctx = toyContext(fixedDataset());
    ctx.register(Scaled);
    const seen: string[] = [];
    ctx.setOptionResolver((url, at) => {
      seen.push(`${at.plugin}.${at.option}=${url}`);
      return [1, 2, 3, 4, 5, 6, 7, 8];
    });
    expect(ctx.lineage('001', 'scaled')['scaled']![2]['scales']).toBe(
      'list-to-array://resource://scales.json',
    );
    const p = await ctx.getSinglePlugin('001', 'scaled');
    expect(p.config['scales']).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(p.resolvedOptions['scales']).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const r = await ctx.getArray('001', 'scaled');
    const peaks = await ctx.getArray('001', 'peaks');
    expect(r.f32('area')[3]).toBe(peaks.f32('area')[3]! * (peaks.i16('channel')[3]! + 1));
    expect(seen[0]).toBe('Scaled.scales=list-to-array://resource://scales.json');
  });

  it('a resolved value of the wrong type is refused', async () => {
    const ctx = toyContext(fixedDataset());
    ctx.register(Scaled);
    ctx.setOptionResolver(() => 'not a list');
    await expect(ctx.getArray('001', 'scaled')).rejects.toThrow(
      /'list-to-array:\/\/resource:\/\/scales.json' resolved to str/,
    );
  });

  it('a URL option in a context without a resolver is refused before compute, naming option and plugin', async () => {
    const ctx = toyContext(fixedDataset());
    ctx.register(Scaled);
    await expect(ctx.getArray('001', 'scaled')).rejects.toThrow(
      "option 'scales' of Scaled is the URL config 'list-to-array://resource://scales.json', but this context has no option resolver",
    );
  });
});

describe('getting data', () => {
  it('several targets of one kind are merged; different kinds are refused', async () => {
    const ctx = toyContext(fixedDataset());
    const m = await ctx.getArray('001', ['peaks', 'peak_sums']);
    // strax's field order: dtypes taken in data-type name order ('peak_sums' < 'peaks')
    expect(m.dtype.names).toEqual(['time', 'endtime', 'n_near', 'area_near', 'channel', 'area']);
    const sums = await ctx.getArray('001', 'peak_sums');
    expect(Array.from(m.i32('n_near'))).toEqual(Array.from(sums.i32('n_near')));
    await expect(ctx.getArray('001', ['peaks', 'event_sums'])).rejects.toThrow(/different data kinds/);
  });

  it('selection expressions and column filters', async () => {
    const ctx = toyContext(fixedDataset());
    const all = await ctx.getArray('001', 'peaks');
    const sel = await ctx.getArray('001', 'peaks', {
      selection: 'area > 100 & channel >= 3',
      keepColumns: ['area', 'time'],
    });
    const want = Array.from({ length: all.length }, (_, i) => i).filter(
      (i) => all.f32('area')[i]! > 100 && all.i16('channel')[i]! >= 3,
    );
    expect(sel.length).toBe(want.length);
    expect(sel.dtype.names).toEqual(['time', 'area']);
    const dropped = await ctx.getArray('001', 'peaks', { dropColumns: ['channel'] });
    expect(dropped.dtype.names).toEqual(['time', 'endtime', 'area']);
    await expect(ctx.getArray('001', 'peaks', { selection: 'area > ' })).rejects.toThrow(
      /selection 'area > ': unexpected end/,
    );
    await expect(ctx.getArray('001', 'peaks', { selection: 'aera > 1' })).rejects.toThrow(/no field 'aera'/);
  });

  it('getIter with workers gives the same bytes as getArray without', async () => {
    const ds = fixedDataset();
    const a = await toyContext(ds).getArray('001', 'peak_sums');
    const ctx = toyContext(ds);
    const b = await ctx.getArray('001', 'peak_sums', { options: { workers: 2 } });
    expect(bytesOf(b)).toBe(bytesOf(a));
  });

  it('dataInfo, showConfig and searchField describe the registered plugins', async () => {
    const ctx = toyContext(fixedDataset());
    const info = await ctx.dataInfo('records');
    expect(info[0]).toEqual({ name: 'time', type: '<i8', comment: 'Start time since unix epoch [ns]' });
    const rows = ctx.showConfig('peaks');
    expect(rows.map((r) => r.option)).toEqual(['gain', 'fail_at_chunk']);
    expect(rows[0]!.default).toBe(2);
    const f = await ctx.searchField('area*');
    expect(f.map((x) => `${x.dataType}.${x.field}`)).toEqual(
      expect.arrayContaining(['peaks.area', 'peak_sums.area_near', 'event_sums.area_sum']),
    );
    expect(DType.of([{ name: 'time', type: 'int64' }]).names).toEqual(['time']);
  });

  it('register refuses things that are not plugins and unknown targets are named', async () => {
    const ctx = new Context();
    expect(() => ctx.register({} as never)).toThrow(/Plugin subclass or instance/);
    expect(() => ctx.lineage('001', 'nothing')).toThrow(/no plugin registered that provides nothing/);
  });
});
