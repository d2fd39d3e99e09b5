// A bootstrax stopped with SIGTERM while it processes a run: it exits 0, the run goes back to be
// claimed (state new, no failure counted), nothing it wrote stays registered as complete, and another host then processes the run to done. Its Prometheus metrics while busy, and
// the `disk full` state when the output disk has less free space than asked.

import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daqScene, fakeDaq } from '../../helpers/daq.js';
import { folderMetadata } from '../../../src/daq/bootstrax/stored-facts.js';
import { startBootstrax, waitFor, type Daemon } from './daemon-process.js';

const scene = daqScene('bx-signals');

function bootstrax(host: string, extra: string[] = []): Daemon {
  const d = startBootstrax([
    '--production',
    '--rundb',
    scene.url,
    '--hostname',
    host,
    '--output_dir',
    join(scene.dir, host),
    '--fix_target',
    '--targets',
    'event_info_double',
    '--cores',
    '1',
    '--min_free_gb',
    '0.01',
    ...extra,
  ]);
  scene.onTeardown(() => d.stop('SIGKILL'));
  return d;
}

describe('bootstrax stopping and reporting', () => {
  it('SIGTERM while busy: exit 0, the run is claimable again and nothing is left half-written', async () => {
    const live = join(scene.dir, 'live');
    mkdirSync(live, { recursive: true });
    const eb3 = bootstrax('eb3', ['--metrics_port', '0']);
    const writing = fakeDaq({
      duration: '8s',
      output: join(live, '000071'),
      realtime: true,
      rundb: scene.url,
    });
    await waitFor('eb3 busy with data registered', async () => {
      const r = await scene.db.getRun(71);
      return r?.bootstrax.state === 'busy' && (r.data ?? []).some((e) => e.host === 'eb3');
    });
    const port = Number(/metrics on http:\/\/localhost:(\d+)\/metrics/.exec(eb3.log())![1]);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/bootstrax_state\{host="eb3",state="busy"\} 1/);
    expect(metrics).toMatch(/bootstrax_runs_processed_total\{host="eb3"\} 0/);

    expect(await eb3.stop('SIGTERM')).toBe(0);
    const run = (await scene.db.getRun(71))!;
    expect(run.bootstrax).toMatchObject({ state: null, host: 'eb3', nFailures: 0 });
    // Nothing of eb3 is left complete or looking in progress: only unfinished raw_records copies
    // may stay (the live_data is still being written, so they are kept as raw data; the next
    // attempt writes over them), registered as failed, their folders marked failed (or _temp).
    const mine = (run.data ?? []).filter((e) => e.host === 'eb3');
    expect(mine.filter((e) => e.status !== 'failed' || !e.type.startsWith('raw_records'))).toEqual([]);
    const out = join(scene.dir, 'eb3');
    const left = existsSync(out) ? readdirSync(out).filter((n) => n.startsWith('000071')) : [];
    expect(left.filter((n) => !/^000071-raw_records\w*-\w+(_temp)?$/.test(n))).toEqual([]);
    for (const n of left.filter((n) => !n.endsWith('_temp')))
      expect(folderMetadata(join(out, n))?.exception, n).toMatch(/stopped by SIGTERM/);
    expect(eb3.log()).toMatch(/run 000071: busy -> new/);

    const eb4 = bootstrax('eb4');
    await writing;
    const done = await waitFor('eb4 done', async () => {
      const r = await scene.db.getRun(71);
      if (r?.bootstrax.state === 'failed') throw new Error(r.bootstrax.reason ?? '');
      return r?.bootstrax.state === 'done' && r;
    });
    expect(done.bootstrax).toMatchObject({ host: 'eb4', nFailures: 0 });
    expect(await eb4.stop('SIGTERM')).toBe(0);
  }, 300_000);

  it('waits in state "disk full" when the output disk has less free space than asked', async () => {
    await scene.db.insertRun({ number: 80, start: new Date(), end: new Date() });
    const eb5 = bootstrax('eb5', ['--min_free_gb', '1e12']);
    await waitFor('eb5 disk full', async () =>
      (await scene.db.listHosts({ program: 'bootstrax' })).some(
        (h) => h.host === 'eb5' && h.state === 'disk full',
      ),
    );
    expect((await scene.db.getRun(80))?.bootstrax.state).toBeNull();
    expect(await eb5.stop('SIGTERM')).toBe(0);
    expect(eb5.log()).toMatch(/output disk of .* is full/);
  }, 120_000);
});
