import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonCorrectionsSource, type CorrectionQuery } from '../../src/config/corrections.js';
import { RunDbCorrectionsSource, importCorrections } from '../../src/config/rundb-corrections-source.js';
import { openRunDb, type RunDb } from '../../src/rundb/rundb.js';
import { DB_TARGETS } from '../helpers/rundb.js';

// The runs-database source must answer every query as the JSON source does on the same file.

const DAY = 86_400_000_000_000n;
const T0 = 1_704_067_200_000_000_000n; // 2024-01-01T00:00:00Z in ns
const iso = (ns: bigint) => new Date(Number(ns / 1_000_000n)).toISOString();

const FILE = {
  straxts_corrections: 1,
  description: 'test corrections',
  corrections: {
    electron_lifetimes: [
      { version: 'ONLINE', valid_from: iso(T0), valid_until: iso(T0 + 10n * DAY), value: 1.5e7 },
      { version: 'ONLINE', valid_from: String(T0 + 10n * DAY), valid_until: null, value: 1.6e7 },
      { version: 'v3', valid_from: iso(T0 - 100n * DAY), value: 1.2e7 },
      { version: 'v3', value: 1.0e7 }, // valid at all times
    ],
    pmt_area_to_pes: [0, 1, 2].flatMap((pmt) => [
      { version: 'ONLINE', detector: 'tpc', pmt, valid_from: iso(T0), value: 0.005 + pmt * 1e-4 },
      { version: 'ONLINE', detector: 'neutron_veto', pmt: 2000 + pmt, valid_from: iso(T0), value: 0.01 },
    ]),
    electron_drift_velocities: {
      kind: 'sampled',
      docs: [
        { version: 'ONLINE', time: iso(T0), value: 6.7e-5 },
        { version: 'ONLINE', time: iso(T0 + 5n * DAY), value: 6.9e-5 },
        { version: 'v3', time: String(T0 + DAY), value: 6.5e-5 },
        { version: 'v3', time: String(T0 + 3n * DAY), value: 6.6e-5 },
      ],
    },
  },
};

describe.each(DB_TARGETS)('corrections from the $dialect runs database', (target) => {
  let db: RunDb;
  let drop: () => Promise<void>;
  const json = new JsonCorrectionsSource(FILE, 'test corrections');
  let source: RunDbCorrectionsSource;

  beforeAll(async () => {
    const f = target.fresh();
    drop = f.drop;
    db = await openRunDb(f.url);
    source = new RunDbCorrectionsSource(db);
  });
  afterAll(async () => {
    await db?.close();
    await drop();
  });

  it('imports a corrections file', async () => {
    const done = await importCorrections(db, FILE, 'test corrections');
    expect(done).toEqual([
      { name: 'electron_lifetimes', kind: 'interval', count: 4 },
      { name: 'pmt_area_to_pes', kind: 'interval', count: 6 },
      { name: 'electron_drift_velocities', kind: 'sampled', count: 4 },
    ]);
    // importing again replaces, never duplicates
    await importCorrections(db, FILE, 'test corrections');
    expect((await db.listCorrections()).map((c) => c.count)).toEqual([4, 4, 6]);
    await expect(importCorrections(db, { corrections: {} })).rejects.toThrow(/straxts_corrections/);
  });

  it('answers as the JSON source', async () => {
    const queryArb: fc.Arbitrary<CorrectionQuery> = fc.record({
      schema: fc.constantFrom(
        'electron_lifetimes',
        'pmt_area_to_pes',
        'electron_drift_velocities',
        'missing',
      ),
      time: fc.option(
        fc.oneof(
          fc.bigInt({ min: T0 - 200n * DAY, max: T0 + 20n * DAY }),
          fc.constantFrom(T0, T0 + 10n * DAY, T0 + 10n * DAY - 1n, T0 + 5n * DAY, T0 + 3n * DAY),
        ),
        { nil: undefined },
      ),
      labels: fc.record(
        {
          version: fc.option(fc.constantFrom('ONLINE', 'v3', 'nope'), { nil: undefined }),
          detector: fc.option(fc.constantFrom('tpc', 'neutron_veto'), { nil: undefined }),
        },
        { requiredKeys: [] },
      ),
    });
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(queryArb, async (q) => {
        const want = json.find(q);
        if (want.length) answered++;
        expect(await source.find(q)).toEqual(want);
      }),
      { numRuns: 150 },
    );
    expect(answered).toBeGreaterThan(30); // most queries find documents: the check has teeth
  });

  it('knows run starts from the run documents', async () => {
    await db.insertRun({ number: 12100, start: new Date('2025-12-06T06:20:00.123Z') });
    expect(await source.runStart('012100')).toBe(1_765_002_000_123_000_000n);
    expect(await source.runStart('012101')).toBeUndefined();
    expect(await source.runStart('_superrun')).toBeUndefined();
    expect(source.description).toContain(db.display);
  });
});
