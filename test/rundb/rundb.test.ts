import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  MAX_N_RETRY,
  RunDbError,
  newRunsFilter,
  openRunDb,
  retryFilter,
  staleFilter,
  LATEST_SCHEMA_VERSION,
  type RunDb,
} from '../../src/rundb/rundb.js';
import { DB_TARGETS } from '../helpers/rundb.js';

const T0 = Date.UTC(2024, 0, 10, 12, 0, 0);
const at = (s: number) => new Date(T0 + s * 1000);

describe.each(DB_TARGETS)('runs database on $dialect', (target) => {
  let db: RunDb;
  let drop: () => Promise<void>;
  let url: string;

  beforeAll(async () => {
    ({ url, drop } = target.fresh());
    db = await openRunDb(url);
  });
  afterAll(async () => {
    await db?.close();
    await drop();
  });

  // Each test works on its own run numbers; wipe runs between tests through the interface.
  let base = 0;
  beforeEach(() => {
    base += 1000;
  });

  it('opens with the latest schema, and reopening migrates nothing twice', async () => {
    expect(db.dialect).toBe(target.dialect);
    const again = await openRunDb(url);
    await again.insertRun({ number: base + 1 });
    expect((await db.getRun(base + 1))?.number).toBe(base + 1);
    await again.close();
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
  });

  it('stores and returns a full run document', async () => {
    const daqConfig = {
      processing_threads: { reader0_reader_0: 2 },
      strax_chunk_length: 5,
      compressor: 'lz4',
    };
    const doc = await db.insertRun({
      number: base + 1,
      name: `${base + 1}`,
      start: at(0),
      end: at(3600),
      mode: 'tpc_kr83m',
      detectors: ['tpc', 'neutron_veto'],
      source: 'kr83m',
      tags: [{ name: 'blinded', user: 'alice', date: at(10) }, { name: '_sciencerun1' }],
      comments: [{ comment: 'looks fine', user: 'bob', date: at(20) }],
      rate: { tpc: { max: 120.5, avg: 80 } },
      daqConfig,
      extra: { livetime: 3599.5 },
      data: [{ type: 'live', host: 'daq', location: '/live_data/xenonnt' }],
    });
    expect(doc).toMatchObject({
      number: base + 1,
      name: `${base + 1}`,
      start: at(0),
      end: at(3600),
      mode: 'tpc_kr83m',
      detectors: ['tpc', 'neutron_veto'],
      source: 'kr83m',
      status: null,
      daqConfig,
      rate: { tpc: { max: 120.5, avg: 80 } },
      extra: { livetime: 3599.5 },
      tags: [{ name: 'blinded', user: 'alice', date: at(10) }, { name: '_sciencerun1' }],
      comments: [{ comment: 'looks fine', user: 'bob', date: at(20) }],
      bootstrax: { state: null, host: null, nFailures: 0, nextRetry: null },
    });
    expect(doc.data).toHaveLength(1);
    expect(doc.data![0]).toMatchObject({
      type: 'live',
      host: 'daq',
      location: '/live_data/xenonnt',
      lineageHash: '',
      protocol: 'FileSytemBackend',
    });
    expect(await db.getRun(base + 999)).toBeUndefined();
  });

  it('refuses a duplicate run number with a clear error', async () => {
    await db.insertRun({ number: base + 1 });
    await expect(db.insertRun({ number: base + 1 })).rejects.toThrow(RunDbError);
    await expect(db.insertRun({ number: base + 1 })).rejects.toThrow(/already exists/);
    await expect(db.insertRun({ number: -3 })).rejects.toThrow(/not a non-negative integer/);
  });

  it('lists runs by number range, mode, tag, detector, state and status', async () => {
    const n = (k: number) => base + k;
    await db.insertRun({
      number: n(1),
      start: at(1),
      mode: 'background',
      detectors: ['tpc'],
      tags: [{ name: 'hold-processing' }],
    });
    await db.insertRun({
      number: n(2),
      start: at(2),
      mode: 'tpc_ambe',
      detectors: ['tpc', 'neutron_veto'],
      status: 'transferred',
    });
    await db.insertRun({
      number: n(3),
      start: at(3),
      mode: 'nVeto_LASER_calibration',
      detectors: ['neutron_veto'],
    });
    await db.setBootstraxState(n(2), 'eb3', 'done');
    const nums = async (f: Parameters<RunDb['listRuns']>[0]) =>
      (await db.listRuns({ minNumber: n(0), maxNumber: n(999), ...f })).map((r) => r.number - base);
    expect(await nums({})).toEqual([1, 2, 3]);
    expect(await nums({ minNumber: n(2) })).toEqual([2, 3]);
    expect(await nums({ mode: 'background' })).toEqual([1]);
    expect(await nums({ modeContains: 'ambe' })).toEqual([2]);
    expect(await nums({ tag: 'hold-processing' })).toEqual([1]);
    expect(await nums({ withoutTag: 'hold-processing' })).toEqual([2, 3]);
    expect(await nums({ detector: 'neutron_veto' })).toEqual([2, 3]);
    expect(await nums({ withoutDetector: 'tpc' })).toEqual([3]);
    expect(await nums({ states: [null] })).toEqual([1, 3]);
    expect(await nums({ states: ['done'] })).toEqual([2]);
    expect(await nums({ status: ['transferred'] })).toEqual([2]);
    expect(await nums({ status: [null] })).toEqual([1, 3]);
    expect(await nums({ status: [] })).toEqual([]);
    expect(await nums({ limit: 2 })).toEqual([1, 2]);
    const byStart = await db.listRuns(
      { minNumber: n(0), maxNumber: n(999) },
      { order: 'start', withData: true },
    );
    expect(byStart.map((r) => r.number - base)).toEqual([3, 2, 1]);
    expect(byStart[0]!.data).toEqual([]);
  });

  it('updates runs, guards the status change, and keeps tags and comments', async () => {
    await db.insertRun({ number: base + 1, start: at(0) });
    expect((await db.updateRun(base + 1, { end: at(60), rate: { tpc: { max: 10, avg: 5 } } }))?.end).toEqual(
      at(60),
    );
    expect(await db.updateRun(base + 2, { end: at(60) })).toBeUndefined();
    // bootstrax: eb_finished_pre only from null / needs_upload
    expect(await db.setRunStatus(base + 1, 'eb_finished_pre', [null, 'needs_upload'])).toBe(true);
    expect(await db.setRunStatus(base + 1, 'eb_finished_pre', [null, 'needs_upload'])).toBe(false);
    expect(await db.setRunStatus(base + 1, 'transferred')).toBe(true);
    expect((await db.getRun(base + 1))?.status).toBe('transferred');

    await db.addTag(base + 1, { name: 'abandon', user: 'carol', date: at(5) });
    await db.addTag(base + 1, { name: 'abandon', user: 'dave' });
    await db.addComment(base + 1, { comment: 'PMT trip', user: 'carol', date: at(6) });
    expect((await db.getRun(base + 1))?.tags.map((t) => t.user)).toEqual(['carol', 'dave']);
    expect(await db.removeTag(base + 1, 'abandon', 'dave')).toBe(1);
    expect(await db.removeTag(base + 1, 'abandon')).toBe(1);
    const r = await db.getRun(base + 1);
    expect(r?.tags).toEqual([]);
    expect(r?.comments).toEqual([{ comment: 'PMT trip', user: 'carol', date: at(6) }]);
    await expect(db.addTag(base + 77, { name: 'x' })).rejects.toThrow(/Run \d+ does not exist/);
  });

  describe('claiming and the bootstrax state machine', () => {
    it('claims the newest-starting unclaimed run, skipping held runs, once', async () => {
      const f = { ...newRunsFilter(), minNumber: base, maxNumber: base + 999 };
      await db.insertRun({ number: base + 1, start: at(10) });
      await db.insertRun({ number: base + 2, start: at(30), tags: [{ name: 'hold-processing' }] });
      await db.insertRun({ number: base + 3, start: at(20) });
      const now = at(100);
      const a = await db.claimRun('eb3.xenon.local', f, now);
      expect(a?.number).toBe(base + 3);
      expect(a?.bootstrax).toMatchObject({ state: 'considering', host: 'eb3.xenon.local', time: now });
      expect((await db.claimRun('eb4.xenon.local', f, now))?.number).toBe(base + 1);
      expect(await db.claimRun('eb5.xenon.local', f, now)).toBeUndefined();
    });

    it('veto-only hosts take runs without the tpc', async () => {
      const f = { ...newRunsFilter({ vetoOnly: true }), minNumber: base, maxNumber: base + 999 };
      await db.insertRun({ number: base + 1, start: at(10), detectors: ['tpc', 'muon_veto'] });
      await db.insertRun({ number: base + 2, start: at(5), detectors: ['muon_veto'] });
      expect((await db.claimRun('eb0', f))?.number).toBe(base + 2);
      expect(await db.claimRun('eb0', f)).toBeUndefined();
    });

    it('moves through busy and done only for the holding host', async () => {
      await db.insertRun({ number: base + 1, start: at(0) });
      await db.claimRun('eb3', { number: base + 1, states: [null] });
      const started = at(50);
      expect(await db.setBootstraxState(base + 1, 'eb4', 'busy', { mustHold: true })).toBeUndefined();
      const busy = await db.setBootstraxState(base + 1, 'eb3', 'busy', {
        mustHold: true,
        from: ['considering', 'busy'],
        startedProcessing: started,
      });
      expect(busy?.bootstrax).toMatchObject({ state: 'busy', host: 'eb3', startedProcessing: started });
      const done = await db.setBootstraxState(base + 1, 'eb3', 'done', { mustHold: true, from: ['busy'] });
      expect(done?.bootstrax.state).toBe('done');
      expect(await db.setBootstraxState(base + 1, 'eb3', 'done', { from: ['busy'] })).toBeUndefined();
      expect(await db.setBootstraxState(base + 99, 'eb3', 'done')).toBeUndefined();
      await expect(db.setBootstraxState(base + 1, 'eb3', 'failed')).rejects.toThrow(/markFailed/);
    });

    it('fails with back-off 60 s × jitter × 5^min(n, 3) and retries up to the limit', async () => {
      await db.insertRun({ number: base + 1, start: at(0) });
      const expected = [1, 5, 25, 125, 125];
      for (let i = 0; i < expected.length; i++) {
        const now = at(1000 * i);
        const r = await db.markFailed(base + 1, 'eb3', `eb3:\nfailure ${i}`, { now, jitter: 0.75 });
        expect(r?.bootstrax).toMatchObject({
          state: 'failed',
          host: 'eb3',
          nFailures: i + 1,
          reason: `eb3:\nfailure ${i}`,
          time: now,
        });
        expect(r!.bootstrax.nextRetry!.getTime() - now.getTime()).toBe(45_000 * expected[i]!);
      }
      const last = at(1000 * (expected.length - 1));
      const f = { ...retryFilter(new Date(last.getTime() + 45_000 * 125 - 1)), number: base + 1 };
      expect(await db.claimRun('eb4', f)).toBeUndefined(); // not yet due
      const due = { ...retryFilter(new Date(last.getTime() + 45_000 * 125 + 1)), number: base + 1 };
      expect((await db.claimRun('eb4', due))?.bootstrax).toMatchObject({
        state: 'considering',
        host: 'eb4',
        nFailures: 5,
      });
      // n_failures reaching MAX_N_RETRY ends the retries
      for (let i = 5; i < MAX_N_RETRY; i++)
        await db.markFailed(base + 1, 'eb4', 'again', { now: at(0), jitter: 1 });
      expect((await db.getRun(base + 1))?.bootstrax.nFailures).toBe(MAX_N_RETRY);
      expect(await db.claimRun('eb4', { ...retryFilter(at(10 ** 6)), number: base + 1 })).toBeUndefined();
    });

    it('finds stale claims, abandons, and releases', async () => {
      await db.insertRun({ number: base + 1, start: at(0) });
      await db.insertRun({ number: base + 2, start: at(1) });
      await db.claimRun('eb3', { number: base + 1, states: [null] }, at(0));
      await db.claimRun('eb3', { number: base + 2, states: [null] }, at(0));
      await db.setBootstraxState(base + 2, 'eb3', 'busy', { now: at(100) });
      const range = { minNumber: base, maxNumber: base + 999 };
      expect(await db.claimRun('eb5', { ...staleFilter('considering', at(59)), ...range })).toBeUndefined();
      expect((await db.claimRun('eb5', { ...staleFilter('considering', at(61)), ...range }))?.number).toBe(
        base + 1,
      );
      expect(await db.claimRun('eb5', { ...staleFilter('busy', at(219)), ...range })).toBeUndefined();
      const stale = await db.claimRun('eb5', { ...staleFilter('busy', at(221)), ...range });
      expect(stale?.number).toBe(base + 2);
      expect((await db.markFailed(base + 2, 'eb5', 'Host eb3 said it was busy'))?.bootstrax.nFailures).toBe(
        1,
      );
      expect((await db.setBootstraxState(base + 2, 'eb5', 'abandoned'))?.bootstrax.state).toBe('abandoned');
      expect(await db.releaseRun(base + 1, 'eb3')).toBe(false); // eb5 holds it now
      expect(await db.releaseRun(base + 1, 'eb5')).toBe(true);
      expect((await db.getRun(base + 1))?.bootstrax.state).toBeNull();
    });

    it('finds done runs that did not end or have no processed data', async () => {
      await db.insertRun({
        number: base + 1,
        start: at(0),
        data: [{ type: 'live', host: 'daq', location: '/live' }],
      });
      await db.insertRun({ number: base + 2, start: at(0), end: at(9) });
      await db.setBootstraxState(base + 1, 'eb3', 'done');
      await db.setBootstraxState(base + 2, 'eb3', 'done');
      await db.registerData({
        run: base + 2,
        type: 'peaklets',
        host: 'eb3',
        location: '/d/x',
        lineageHash: 'abc',
      });
      const range = { minNumber: base, maxNumber: base + 999, states: ['done'] as const };
      expect((await db.listRuns({ ...range, ended: false })).map((r) => r.number)).toEqual([base + 1]);
      expect((await db.listRuns({ ...range, hasProcessedData: false })).map((r) => r.number)).toEqual([
        base + 1,
      ]);
      expect(
        (await db.listRuns({ ...range, dataHost: 'eb3', dataType: 'peaklets' })).map((r) => r.number),
      ).toEqual([base + 2]);
      expect((await db.listRuns({ ...range, bootstraxHost: 'eb3', startBefore: at(1) })).length).toBe(2);
    });
  });

  describe('data entries', () => {
    const lineage = {
      peaklets: ['Peaklets', '1.2.3', { gain_model: 'cmt://x', s1_min: 3.0 }] as [
        string,
        string,
        Record<string, unknown>,
      ],
    };

    it('registers, upserts by (run, type, hash, host), finds and updates', async () => {
      await db.insertRun({ number: base + 1 });
      const a = await db.registerData({
        run: base + 1,
        type: 'peaklets',
        host: 'eb3',
        location: '/data/pre_processed/0-peaklets-abc',
        lineageHash: 'abc',
        lineage,
        status: 'transferring',
        meta: { lineage },
      });
      expect(a).toMatchObject({
        run: base + 1,
        type: 'peaklets',
        host: 'eb3',
        lineageHash: 'abc',
        lineage,
        status: 'transferring',
      });
      const again = await db.registerData({
        run: base + 1,
        type: 'peaklets',
        host: 'eb3',
        location: '/elsewhere/0-peaklets-abc',
        lineageHash: 'abc',
        status: 'complete',
      });
      expect(again.id).toBe(a.id);
      expect(again.location).toBe('/elsewhere/0-peaklets-abc');
      expect(again.created).toEqual(a.created);
      await db.registerData({
        run: base + 1,
        type: 'peaklets',
        host: 'eb4',
        location: '/d/0-peaklets-abc',
        lineageHash: 'abc',
      });
      await db.registerData({
        run: base + 1,
        type: 'peaklets',
        host: 'eb3',
        location: '/d/0-peaklets-old',
        lineageHash: 'old',
      });
      expect((await db.findData(base + 1, 'peaklets', 'abc')).map((d) => d.host)).toEqual(['eb3', 'eb4']);
      expect(
        (await db.findData(base + 1, 'peaklets', 'abc', { hosts: ['eb4', 'dali'] })).map((d) => d.host),
      ).toEqual(['eb4']);
      expect(await db.findData(base + 1, 'peaklets', 'abc', { hosts: [] })).toEqual([]);
      expect(
        (await db.findData(base + 1, 'peaklets', 'abc', { status: ['complete'] })).map((d) => d.host),
      ).toEqual(['eb3']);
      expect((await db.findData(base + 1, 'peaklets', 'abc', { status: [null] })).map((d) => d.host)).toEqual(
        ['eb4'],
      );
      const u = await db.updateData(a.id, {
        meta: { size_mb: 12, compressor: 'zstd' },
        fileCount: 4,
        location: '/data/xenonnt_processed/0-peaklets-abc',
      });
      expect(u).toMatchObject({
        fileCount: 4,
        location: '/data/xenonnt_processed/0-peaklets-abc',
        meta: { size_mb: 12, compressor: 'zstd' },
      });
      expect(again.meta).toEqual({}); // re-registering replaces the entry's fields
      expect(await db.updateData(-1, { status: 'x' })).toBeUndefined();
      expect((await db.listData(base + 1, { host: 'eb3' })).length).toBe(2);
    });

    it('refuses data for a missing run', async () => {
      await expect(
        db.registerData({ run: base + 5, type: 'records', host: 'eb3', location: '/x' }),
      ).rejects.toThrow(/no such run/);
    });

    it('deletes one copy or every copy of a type on a host, recording deleted_data', async () => {
      await db.insertRun({ number: base + 1 });
      const keep = await db.registerData({
        run: base + 1,
        type: 'records',
        host: 'eb4',
        location: '/a',
        lineageHash: 'h1',
      });
      await db.registerData({
        run: base + 1,
        type: 'records',
        host: 'eb3',
        location: '/b',
        lineageHash: 'h1',
      });
      const old = await db.registerData({
        run: base + 1,
        type: 'records',
        host: 'eb3',
        location: '/c',
        lineageHash: 'h0',
      });
      expect(
        (await db.deleteData({ id: old.id }, { by: 'ajax.eb3', reason: 'old lineage hash' })).map(
          (d) => d.location,
        ),
      ).toEqual(['/c']);
      await db.registerData({
        run: base + 1,
        type: 'records',
        host: 'eb3',
        location: '/c',
        lineageHash: 'h0',
      });
      const pulled = await db.deleteData({ run: base + 1, type: 'records', host: 'eb3' }, { by: 'eb3' });
      expect(pulled.map((d) => d.location).sort()).toEqual(['/b', '/c']);
      expect((await db.listData(base + 1)).map((d) => d.id)).toEqual([keep.id]);
      const deleted = await db.listDeletedData(base + 1);
      expect(deleted).toHaveLength(3);
      expect(deleted[0]).toMatchObject({
        run: base + 1,
        type: 'records',
        host: 'eb3',
        lineageHash: 'h0',
        by: 'ajax.eb3',
        reason: 'old lineage hash',
      });
      expect(
        deleted
          .filter((d) => d.by === 'eb3')
          .map((d) => d.lineageHash)
          .sort(),
      ).toEqual(['h0', 'h1']);
      expect(await db.deleteData({ id: 123456789 }, { by: 'x' })).toEqual([]);
    });
  });

  it('stores correction documents and selects those that can apply at a time', async () => {
    const name = `elife_${base}`;
    const ns = (s: number) => BigInt(T0 + s * 1000) * 1_000_000n;
    const doc = (version: string, value: number, extra: Record<string, unknown> = {}) => ({
      version,
      value,
      ...extra,
    });
    await db.addCorrections(name, 'interval', [
      { doc: doc('v1', 600e3), validFrom: ns(0), validUntil: ns(100) },
      { doc: doc('v1', 650e3), validFrom: ns(100) },
      { doc: doc('v2', 1) },
    ]);
    // 1 ns before a boundary: exact ns comparisons (beyond 2^53)
    expect((await db.correctionDocs(name, ns(100) - 1n))?.docs.map((d) => d.value)).toEqual([600e3, 1]);
    expect((await db.correctionDocs(name, ns(100)))?.docs.map((d) => d.value)).toEqual([650e3, 1]);
    expect((await db.correctionDocs(name, ns(-1)))?.docs.map((d) => d.value)).toEqual([1]);
    expect((await db.correctionDocs(name))?.docs.map((d) => d.value)).toEqual([1]);
    expect(await db.correctionDocs(`${name}_none`, ns(0))).toBeUndefined();
    await expect(db.addCorrections(name, 'sampled', [{ doc: doc('v1', 1), time: ns(0) }])).rejects.toThrow(
      /holds interval documents/,
    );
    await expect(db.addCorrections(`${name}_s`, 'sampled', [{ doc: doc('v1', 1) }])).rejects.toThrow(
      /needs a time/,
    );
    await db.addCorrections(name, 'sampled', [{ doc: doc('v1', 5, { time: String(ns(3)) }), time: ns(3) }], {
      replace: true,
    });
    const sampled = await db.correctionDocs(name, ns(1e6));
    expect(sampled).toEqual({
      name,
      kind: 'sampled',
      docs: [{ version: 'v1', value: 5, time: String(ns(3)) }],
    });
    expect((await db.listCorrections()).find((c) => c.name === name)).toEqual({
      name,
      kind: 'sampled',
      count: 1,
    });
  });

  it('keeps the latest heartbeat per host and program', async () => {
    const host = `eb${base}`;
    await db.heartbeat({ host, program: 'bootstrax', pid: 11, state: 'starting', now: at(0) });
    await db.heartbeat({
      host,
      program: 'bootstrax',
      pid: 11,
      state: 'busy',
      info: { run_id: '000123' },
      now: at(10),
    });
    await db.heartbeat({ host, program: 'ajax', pid: 12, state: 'idle', now: at(5) });
    const mine = (await db.listHosts()).filter((h) => h.host === host);
    expect(mine).toEqual([
      { host, program: 'ajax', pid: 12, state: 'idle', time: at(5), info: {} },
      { host, program: 'bootstrax', pid: 11, state: 'busy', time: at(10), info: { run_id: '000123' } },
    ]);
    expect(
      (await db.listHosts({ program: 'bootstrax', aliveSince: at(6) })).filter((h) => h.host === host),
    ).toHaveLength(1);
  });
});
