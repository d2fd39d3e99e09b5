// bootstrax as real processes on a real PostgreSQL database: the failures it can find without
// processing anything (no live data, no daq_config), stale claims of a dead host, its own
// leftover claims and copies of runs another host took over (after a restart), inconsistent
// done runs, hold-processing, the manual commands, test mode (nothing written), SIGTERM, and
// `straxts runs`.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool } from '../../helpers/cli.js';
import { daqScene } from '../../helpers/daq.js';
import { startBootstrax, waitFor } from './daemon-process.js';

const scene = daqScene('bx-states');
const DAQ_CONFIG = { processing_threads: { reader0: 1 }, strax_chunk_length: 1, strax_chunk_overlap: 0.1 };
const at = (min: number) => new Date(Date.UTC(2026, 0, 1, 0, min));

describe('bootstrax states on PostgreSQL (no processing needed)', () => {
  it('fails what it cannot process with a clear reason, cleans up after dead hosts and itself', async () => {
    const live = join(scene.dir, 'live');
    mkdirSync(join(live, '000101'), { recursive: true });
    // 103's live_data is complete: its unfinished raw_records may go
    mkdirSync(join(live, '000103', 'THE_END'), { recursive: true });
    const liveEntry = [{ type: 'live', host: 'daq', location: live }];
    await scene.db.insertRun({
      number: 100,
      start: at(0),
      end: at(1),
      daqConfig: DAQ_CONFIG,
      data: liveEntry,
    });
    await scene.db.insertRun({ number: 101, start: at(2), end: at(3), data: liveEntry });
    for (const n of [102, 103])
      await scene.db.insertRun({ number: n, start: at(n - 100), end: at(n - 99), data: liveEntry });
    await scene.db.insertRun({ number: 105, start: at(5), data: liveEntry });
    await scene.db.insertRun({
      number: 104,
      start: at(4),
      data: liveEntry,
      tags: [{ name: 'hold-processing' }],
    });
    const old = new Date(Date.now() - 3_600_000);
    // 102: another host died while busy; 103: this host died while busy, leaving a _temp folder
    await scene.db.claimRun('eb9', { number: 102, states: [null] }, old);
    await scene.db.setBootstraxState(102, 'eb9', 'busy', { now: old });
    await scene.db.claimRun('eb3', { number: 103, states: [null] });
    await scene.db.setBootstraxState(103, 'eb3', 'busy');
    const out = join(scene.dir, 'out');
    const temp = join(out, '000103-raw_records-abc');
    mkdirSync(`${temp}_temp`, { recursive: true });
    writeFileSync(join(`${temp}_temp`, 'x'), 'x');
    await scene.db.registerData({
      run: 103,
      type: 'raw_records',
      host: 'eb3',
      location: temp,
      lineageHash: 'abc',
    });
    // 105: done but never ended
    await scene.db.claimRun('eb4', { number: 105, states: [null] });
    await scene.db.setBootstraxState(105, 'eb4', 'busy');
    await scene.db.setBootstraxState(105, 'eb4', 'done');
    // 106: done by eb4, and eb3 completed a copy too (its child finished after the claim was
    // failed as stale and the daemon was killed before it noticed): eb3's copy is a second
    // processing and goes at eb3's start; 107: done by eb3 itself: its copy stays.
    const copy = (run: number, host: string): string => {
      const location = join(scene.dir, host, `000${run}-event_info_double-abc`);
      mkdirSync(location, { recursive: true });
      writeFileSync(join(location, 'x'), 'x');
      return location;
    };
    for (const [run, host] of [
      [106, 'eb4'],
      [107, 'eb3'],
    ] as const) {
      await scene.db.insertRun({ number: run, start: at(run - 100), end: at(run - 99), data: liveEntry });
      await scene.db.claimRun(host, { number: run, states: [null] });
      await scene.db.setBootstraxState(run, host, 'busy');
      await scene.db.setBootstraxState(run, host, 'done');
    }
    const copies = { eb4Of106: copy(106, 'eb4'), eb3Of106: copy(106, 'eb3'), eb3Of107: copy(107, 'eb3') };
    for (const [run, host, location] of [
      [106, 'eb4', copies.eb4Of106],
      [106, 'eb3', copies.eb3Of106],
      [107, 'eb3', copies.eb3Of107],
    ] as const)
      await scene.db.registerData({
        run,
        type: 'event_info_double',
        host,
        location,
        lineageHash: 'abc',
        status: 'complete',
      });

    const bx = startBootstrax([
      '--production',
      '--rundb',
      scene.url,
      '--hostname',
      'eb3',
      '--output_dir',
      out,
      '--min_free_gb',
      '0.01',
    ]);
    try {
      const reasons = await waitFor('all five runs failed', async () => {
        const runs = await scene.db.listRuns({ minNumber: 100, maxNumber: 105 });
        const failed = runs.filter((r) => (r.bootstrax.nFailures ?? 0) > 0);
        return failed.length === 5 && new Map(failed.map((r) => [r.number, r.bootstrax.reason ?? '']));
      });
      expect(reasons.get(100)).toMatch(/^eb3:\nNo live data at claimed location .*000100/);
      expect(reasons.get(101)).toMatch(/no daq_config/);
      expect(reasons.get(102)).toMatch(/Host eb9 said it was busy/);
      expect(reasons.get(103)).toMatch(/Host eb3 restarted while the run was busy/);
      expect(reasons.get(105)).toMatch(/done, but run did not yet end/);
      expect(existsSync(`${temp}_temp`)).toBe(false);
      expect(await scene.db.listData(103, { host: 'eb3' })).toEqual([]);
      expect(existsSync(copies.eb3Of106)).toBe(false);
      expect(await scene.db.listData(106, { host: 'eb3' })).toEqual([]);
      expect(existsSync(copies.eb4Of106)).toBe(true);
      expect((await scene.db.listData(106, { host: 'eb4' })).map((e) => e.location)).toEqual([
        copies.eb4Of106,
      ]);
      expect(existsSync(copies.eb3Of107)).toBe(true);
      expect(await scene.db.listData(107, { host: 'eb3' })).toHaveLength(1);
      expect((await scene.db.getRun(106))?.bootstrax.state).toBe('done');
      expect((await scene.db.getRun(107))?.bootstrax.state).toBe('done');
      const held = await scene.db.getRun(104);
      expect(held?.bootstrax.state).toBeNull();
      // a failed run comes back after its back-off and fails again, counted
      await waitFor(
        'run 100 retried',
        async () => ((await scene.db.getRun(100))?.bootstrax.nFailures ?? 0) >= 2,
      );
    } finally {
      expect(await bx.stop('SIGTERM')).toBe(0);
    }
    expect(bx.log()).toMatch(/run 000100: considering -> failed \(No live data/);
    const hosts = await scene.db.listHosts({ program: 'bootstrax' });
    expect(hosts.find((h) => h.host === 'eb3')?.state).toBe('stopped');

    // manual commands
    const f = await runTool('bootstrax', [
      '--production',
      '--rundb',
      scene.url,
      '--hostname',
      'op',
      '--fail',
      '104',
      'bad',
      'HV',
    ]);
    expect(f.code).toBe(0);
    expect((await scene.db.getRun(104))?.bootstrax).toMatchObject({ state: 'failed', nFailures: 1 });
    expect((await scene.db.getRun(104))?.bootstrax.reason).toMatch(/Manually set failed state. bad HV/);
    const a = await runTool('bootstrax', [
      '--production',
      '--rundb',
      scene.url,
      '--hostname',
      'op',
      '--abandon',
      '104',
    ]);
    expect(a.code).toBe(0);
    expect((await scene.db.getRun(104))?.bootstrax.state).toBe('abandoned');

    // straxts runs: a table, and one run's document in straxen's names
    const table = await runTool('straxts', ['runs', '--rundb', scene.url]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/000104\s.*abandoned\s+op/);
    const one = await runTool('straxts', ['runs', '102', '--rundb', scene.url, '--json']);
    const doc = JSON.parse(one.stdout) as {
      bootstrax: { state: string; n_failures: number; reason: string };
    };
    expect(doc.bootstrax.n_failures).toBeGreaterThanOrEqual(1);
    expect(doc.bootstrax.reason).toMatch(/^eb3:\n/);
  }, 300_000);

  it('test mode looks at new runs, records nothing, and ends', async () => {
    await scene.db.insertRun({ number: 200, start: at(20), end: at(21), daqConfig: DAQ_CONFIG });
    const before = await scene.db.getRun(200);
    const r = await runTool('bootstrax', [
      '--rundb',
      scene.url,
      '--hostname',
      'eb5',
      '--live_dir',
      join(scene.dir, 'nowhere'),
      '--output_dir',
      join(scene.dir, 'test-out'),
      '--min_free_gb',
      '0.01',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/test mode/);
    expect(r.stderr).toMatch(/No live data at claimed location/);
    expect(await scene.db.getRun(200)).toEqual(before);
    expect((await scene.db.listHosts()).some((h) => h.host === 'eb5')).toBe(false);
  }, 120_000);

  it('refuses bad usage with one line and exit 2', async () => {
    for (const [args, msg] of [
      [['--rundb', scene.url, '--process', '1', '--fail', '2'], /cannot be combined/],
      [['--rundb', scene.url, '--fail', 'x'], /needs a run number/],
      [['--rundb', scene.url, '--context', 'nope'], /unknown context 'nope'/],
      [['--cores', 'many', '--rundb', scene.url], /--cores/],
    ] as const) {
      const r = await runTool('bootstrax', args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const env = await runTool('bootstrax', ['--production']);
    expect([env.code, env.stderr]).toEqual([2, expect.stringMatching(/no runs database/)]);
  }, 120_000);
});
