import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunDb, type BootstraxState, type RunDb, type RunFilter } from '../../src/rundb/rundb.js';
import { DB_TARGETS } from '../helpers/rundb.js';

// listRuns must select exactly the runs a plain JavaScript reading of the filter selects.

const MODES = ['background', 'tpc_kr83m', 'tpc_ambe', 'pmtgain'] as const;
const DETS = ['tpc', 'neutron_veto', 'muon_veto'] as const;
const TAGS = ['abandon', 'hold-processing', 'blinded'] as const;
const STATES = [null, 'considering', 'busy', 'done', 'failed', 'abandoned'] as const;
const STATUSES = [null, 'eb_finished_pre', 'transferred'] as const;

interface Model {
  k: number;
  mode: (typeof MODES)[number];
  detectors: string[];
  tags: string[];
  state: BootstraxState | null;
  status: string | null;
  ended: boolean;
}

const runArb = (k: number) =>
  fc.record({
    k: fc.constant(k),
    mode: fc.constantFrom(...MODES),
    detectors: fc.subarray([...DETS]),
    tags: fc.subarray([...TAGS]),
    state: fc.constantFrom(...STATES),
    status: fc.constantFrom(...STATUSES),
    ended: fc.boolean(),
  });

const datasetArb = fc
  .integer({ min: 0, max: 12 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, k) => runArb(k))).map((x) => x as Model[]));

const filterArb = fc.record(
  {
    minNumber: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
    maxNumber: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
    mode: fc.option(fc.constantFrom(...MODES), { nil: undefined }),
    modeContains: fc.option(fc.constantFrom('tpc', 'am', 'gain', 'x'), { nil: undefined }),
    tag: fc.option(fc.constantFrom(...TAGS), { nil: undefined }),
    withoutTag: fc.option(fc.constantFrom(...TAGS), { nil: undefined }),
    detector: fc.option(fc.constantFrom(...DETS), { nil: undefined }),
    withoutDetector: fc.option(fc.constantFrom(...DETS), { nil: undefined }),
    states: fc.option(fc.subarray([...STATES]), { nil: undefined }),
    status: fc.option(fc.subarray([...STATUSES]), { nil: undefined }),
    ended: fc.option(fc.boolean(), { nil: undefined }),
  },
  { requiredKeys: [] },
);

function matches(m: Model, f: RunFilter): boolean {
  return (
    (f.minNumber === undefined || m.k >= f.minNumber) &&
    (f.maxNumber === undefined || m.k <= f.maxNumber) &&
    (f.mode === undefined || m.mode === f.mode) &&
    (f.modeContains === undefined || m.mode.includes(f.modeContains)) &&
    (f.tag === undefined || m.tags.includes(f.tag)) &&
    (f.withoutTag === undefined || !m.tags.includes(f.withoutTag)) &&
    (f.detector === undefined || m.detectors.includes(f.detector)) &&
    (f.withoutDetector === undefined || !m.detectors.includes(f.withoutDetector)) &&
    (f.states === undefined || f.states.includes(m.state)) &&
    (f.status === undefined || f.status.includes(m.status)) &&
    (f.ended === undefined || m.ended === f.ended)
  );
}

describe.each(DB_TARGETS)('run filters on $dialect', (target) => {
  let db: RunDb;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const f = target.fresh();
    drop = f.drop;
    db = await openRunDb(f.url);
  });
  afterAll(async () => {
    await db?.close();
    await drop();
  });

  it('select what the filter says', async () => {
    let sample = 0;
    await fc.assert(
      fc.asyncProperty(
        datasetArb,
        fc.array(filterArb, { minLength: 1, maxLength: 4 }),
        async (runs, filters) => {
          const base = ++sample * 100;
          for (const m of runs) {
            await db.insertRun({
              number: base + m.k,
              mode: m.mode,
              detectors: m.detectors,
              status: m.status,
              tags: m.tags.map((name) => ({ name })),
              start: new Date(1e12),
              end: m.ended ? new Date(1e12 + 1) : null,
            });
            if (m.state === 'failed') await db.markFailed(base + m.k, 'eb3', 'test');
            else if (m.state) await db.setBootstraxState(base + m.k, 'eb3', m.state);
          }
          for (const f of filters) {
            const shifted: RunFilter = {
              ...f,
              minNumber: base + (f.minNumber ?? 0),
              maxNumber: base + (f.maxNumber ?? 99),
            };
            const got = (await db.listRuns(shifted)).map((r) => r.number - base);
            const want = runs.filter((m) => matches(m, f)).map((m) => m.k);
            expect(got).toEqual(want);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
