import { describe, expect, it } from 'vitest';
import { Records } from '../../src/core/records.js';
import { Context } from '../../src/core/context/context.js';
import { hitDtype } from '../../src/core/standard-dtypes.js';
import { PyFloat, unwrapPy } from '../../src/core/python/float.js';
import { compareRecords, formatAgreement } from '../../src/core/compare.js';
import { PulseProcessing } from '../../src/plugins/records/index.js';
import { SimRawRecords } from '../../src/plugins/raw_records/index.js';
import { loadReferenceNpy, REFERENCE_RUNS } from '../helpers/reference.js';
import { configuredPlugin } from '../helpers/reference-plugin.js';
import { loadChunks, readMeta, referenceConfig, type RefChunk } from './records-reference.js';

/** PulseProcessing as the reference run configured it (config winning), through the context. */
async function makePlugin(run: string, config: Record<string, unknown> = {}): Promise<PulseProcessing> {
  return (await configuredPlugin(PulseProcessing, run, config)).plugin;
}

interface Outputs {
  records: RefChunk[];
  veto_regions: Records[];
  pulse_counts: Records[];
}

const cache = new Map<string, Promise<Outputs>>();
function processRun(run: string): Promise<Outputs> {
  if (!cache.has(run)) {
    cache.set(
      run,
      (async () => {
        const p = await makePlugin(run);
        const raw = await loadChunks(run, 'raw_records');
        const out: Outputs = { records: [], veto_regions: [], pulse_counts: [] };
        raw.forEach((c, chunkI) => {
          const res = p.compute({ raw_records: c.data }, { start: c.start, end: c.end, chunkI }) as Record<
            string,
            Records
          >;
          out.records.push({ start: c.start, end: c.end, data: res['records']! });
          out.veto_regions.push(res['veto_regions']!);
          out.pulse_counts.push(res['pulse_counts']!);
        });
        return out;
      })(),
    );
  }
  return cache.get(run)!;
}

function expectAgree(a: Records, b: Records): void {
  const ag = compareRecords(a, b, { rtol: 1e-6 });
  if (!ag.ok) console.log(formatAgreement(ag));
  expect(ag.ok).toBe(true);
  if (process.env.STRAXTS_SHOW_AGREEMENT) console.log(formatAgreement(ag));
  // Every field, floats included, is bit-identical to strax's output.
  expect(ag.fields.filter((f) => !f.exact).map((f) => f.field)).toEqual([]);
}

describe.each(REFERENCE_RUNS)('PulseProcessing on %s', (run) => {
  it('records head equals numpy export (first 2000 rows)', async () => {
    const out = await processRun(run);
    const ref = loadReferenceNpy(run, 'records-head').records;
    const mine = Records.concat(out.records.map((c) => c.data)).slice(0, ref.length);
    expect(mine.dtype.toDescr()).toBe(ref.dtype.toDescr());
    expectAgree(mine, ref);
  }, 120_000);

  it('records equal the stored zstd chunks, chunk by chunk', async () => {
    const out = await processRun(run);
    const ref = await loadChunks(run, 'records');
    expect(out.records.length).toBe(ref.length);
    ref.forEach((rc, i) => {
      expect(out.records[i]!.start).toBe(rc.start);
      expect(out.records[i]!.end).toBe(rc.end);
      expectAgree(out.records[i]!.data, rc.data);
    });
  }, 120_000);

  it('pulse_counts and veto_regions equal the reference', async () => {
    const out = await processRun(run);
    const pc = Records.concat(out.pulse_counts);
    const refPc = Records.concat((await loadChunks(run, 'pulse_counts')).map((c) => c.data));
    expect(pc.dtype.toDescr()).toBe(refPc.dtype.toDescr());
    expectAgree(pc, refPc);
    const vr = Records.concat(out.veto_regions);
    const refVr = Records.concat((await loadChunks(run, 'veto_regions')).map((c) => c.data));
    expect(vr.dtype.toDescr()).toBe(refVr.dtype.toDescr());
    expectAgree(vr, refVr);
  }, 120_000);

  it('options, defaults, float-ness and tracked flags match the lineage; the context reproduces its hash', async () => {
    const p = await makePlugin(run);
    const { meta } = readMeta(run, 'records');
    const [cls, version, opts] = meta.lineage['pulse_counts']!;
    expect(p.className).toBe(cls);
    expect(p.version).toBe(version);
    const tracked = p.options
      .filter((o) => o.track !== false)
      .map((o) => o.name)
      .sort();
    expect(tracked).toEqual(Object.keys(opts).sort());
    const { config } = referenceConfig(run);
    for (const o of p.options) {
      if (o.track === false || !('default' in o)) continue;
      // Reference value = config override if any, else the default; Python floats stay floats.
      const ref = opts[o.name];
      const want = o.name in config ? config[o.name] : o.default;
      expect(unwrapPy(ref)).toEqual(want);
      expect(ref instanceof PyFloat).toBe(o.type === 'float');
    }
    expect(opts['n_tpc_pmts']).toBe(494);
    const [rawCls, rawVersion, rawOpts] = meta.lineage['raw_records']!;
    const raw = new SimRawRecords();
    expect([raw.className, raw.version, raw.options.length]).toEqual([
      rawCls,
      rawVersion,
      Object.keys(rawOpts).length,
    ]);
    expect(raw.compressor).toBe(readMeta(run, 'raw_records').meta.compressor);
    expect(p.compressor).toBe(meta.compressor);

    const ctx = new Context({ register: [SimRawRecords, PulseProcessing] });
    ctx.setConfig({ n_tpc_pmts: 494, hit_min_amplitude: config['hit_min_amplitude'] });
    for (const t of ['records', 'veto_regions', 'pulse_counts']) {
      expect(ctx.keyFor(run.slice(3), t).lineageHash).toBe(readMeta(run, t).meta.lineageHash);
    }
    expect(ctx.keyFor(run.slice(3), 'raw_records').lineageHash).toBe(
      readMeta(run, 'raw_records').meta.lineageHash,
    );
  });
});

describe('SimRawRecords', () => {
  it('cannot compute raw_records', () => {
    const s = new SimRawRecords();
    s.runId = '012100';
    expect(() => s.compute()).toThrow(/raw_records of run 012100 are not in storage/);
  });
});

describe('PulseProcessing with the software HE veto enabled (run012100)', () => {
  const toPe = 'list-to-array://resource://012100-to_pe.json?fmt=json';

  it('a threshold no peak reaches changes nothing (the unfused hit path agrees)', async () => {
    const p = await makePlugin('run012100', { hev_gain_model: toPe, tail_veto_threshold: 1e12 });
    const raw = await loadChunks('run012100', 'raw_records');
    const ref = await loadChunks('run012100', 'records');
    raw.forEach((c, chunkI) => {
      const res = p.compute({ raw_records: c.data }, { start: c.start, end: c.end, chunkI }) as Record<
        string,
        Records
      >;
      expect(res['veto_regions']!.length).toBe(0);
      expectAgree(res['records']!, ref[chunkI]!.data);
    });
  }, 120_000);

  it('a low threshold vetoes records after the large event, and only records inside veto regions', async () => {
    const p = await makePlugin('run012100', { hev_gain_model: toPe, tail_veto_threshold: 1e5 });
    const raw = await loadChunks('run012100', 'raw_records');
    const ref = await loadChunks('run012100', 'records');
    let vetoes = 0,
      removed = 0;
    raw.forEach((c, chunkI) => {
      const res = p.compute({ raw_records: c.data }, { start: c.start, end: c.end, chunkI }) as Record<
        string,
        Records
      >;
      const veto = res['veto_regions']!;
      const kept = res['records']!;
      vetoes += veto.length;
      removed += ref[chunkI]!.data.length - kept.length;
      const vt = veto.i64('time'),
        vl = veto.i32('length'),
        vd = veto.i16('dt');
      for (let v = 1; v < veto.length; v++) expect(vt[v]! >= vt[v - 1]!).toBe(true);
      for (let v = 0; v < veto.length; v++) expect(vl[v]!).toBeGreaterThan(2 * 3);
      // no kept record lies fully inside a veto region
      const kt = kept.i64('time'),
        kl = kept.i32('length');
      for (let i = 0; i < kept.length; i++) {
        const end = kt[i]! + BigInt(kl[i]! * 10);
        for (let v = 0; v < veto.length; v++) {
          const ve = vt[v]! + BigInt(vl[v]! * vd[v]!);
          expect(kt[i]! >= vt[v]! && end <= ve).toBe(false);
        }
      }
      expect(veto.dtype.toDescr()).toBe(hitDtype().toDescr());
    });
    expect(vetoes).toBeGreaterThan(0);
    expect(removed).toBeGreaterThan(0);
  }, 120_000);
});

describe('PulseProcessing on edge inputs', () => {
  it('refuses a pulse filter at setup (an empty filter is Python-false and fine)', async () => {
    await expect(makePlugin('run012100', { pmt_pulse_filter: [0.1, 0.8, 0.1] })).rejects.toThrow(
      /pmt_pulse_filter/,
    );
    await expect(makePlugin('run012100', { pmt_pulse_filter: [] })).resolves.toBeInstanceOf(PulseProcessing);
  });

  it('an empty chunk gives empty records, veto_regions and pulse_counts', async () => {
    const p = await makePlugin('run012100');
    const empty = Records.empty(new SimRawRecords().inferDtype(), 0);
    const res = p.compute({ raw_records: empty }, { start: 10n, end: 20n, chunkI: 0 }) as Record<
      string,
      Records
    >;
    expect([res['records']!.length, res['veto_regions']!.length, res['pulse_counts']!.length]).toEqual([
      0, 0, 0,
    ]);
  });

  it('drops non-TPC channels and refuses overlapping pulses', async () => {
    const raw = (await loadChunks('run012100', 'raw_records'))[0]!;
    const p = await makePlugin('run012100');
    const ch = raw.data.i16('channel');
    const copy = raw.data.take(Array.from({ length: raw.data.length }, (_, i) => i));
    const cch = copy.i16('channel');
    let moved = 0;
    for (let i = 0; i < copy.length; i++)
      if (ch[i] === 493) {
        cch[i] = 600;
        moved++;
      }
    const res = p.compute({ raw_records: copy }, { start: raw.start, end: raw.end, chunkI: 0 }) as Record<
      string,
      Records
    >;
    expect(moved).toBeGreaterThan(0);
    expect(res['records']!.length).toBe(raw.data.length - moved);
    const t = copy.i64('time');
    t[1] = t[0]!;
    cch[1] = cch[0]!;
    expect(() => p.compute({ raw_records: copy }, { start: raw.start, end: raw.end, chunkI: 0 })).toThrow(
      /Bad data! In channel/,
    );
  }, 60_000);
});
