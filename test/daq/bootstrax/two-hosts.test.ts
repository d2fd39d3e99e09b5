// The "done when": fake_daq feeds 3 runs into a live folder (one written live, at the
// DAQ's pace, two already complete) while two bootstrax (eb3, eb4) share one PostgreSQL runs
// database. Every run ends done by exactly one host, with status eb_finished_pre, and its
// event_info_double equals what straxer makes from the same raw_records.

import { cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool } from '../../helpers/cli.js';
import { daqScene, fakeDaq } from '../../helpers/daq.js';
import { startBootstrax, waitFor, type Daemon } from './daemon-process.js';

const scene = daqScene('bx-two');
const daemons: Daemon[] = [];
scene.onTeardown(async () => {
  for (const d of daemons) await d.stop('SIGKILL');
});

/** The chunk files of a data folder (not the metadata, which holds write times). */
function chunkBytes(folder: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const f of readdirSync(folder).sort())
    if (!f.endsWith('-metadata.json')) out.set(f, readFileSync(join(folder, f)));
  return out;
}

describe('two eventbuilders on one PostgreSQL runs database', () => {
  it('process 3 runs from fake_daq, each exactly once, as straxer would', async () => {
    const live = join(scene.dir, 'live');
    mkdirSync(live);
    const common = ['--production', '--rundb', scene.url, '--fix_target', '--targets', 'event_info_double'];
    const extra = ['--cores', '1', '--min_free_gb', '0.01', '--live_dir', live];
    for (const h of ['eb3', 'eb4'])
      daemons.push(
        startBootstrax([...common, '--hostname', h, '--output_dir', join(scene.dir, h), ...extra]),
      );
    const fake = (run: number, paced: boolean) =>
      fakeDaq({
        duration: '3s',
        seed: run,
        output: join(live, String(run).padStart(6, '0')),
        run,
        rundb: scene.url,
        realtime: paced,
      });
    const written = await Promise.all([fake(11, true), fake(12, false), fake(13, false)]);
    for (const w of written) expect([w.code, w.stderr]).toEqual([0, '']);

    const runs = await waitFor(
      'three runs done',
      async () => {
        const rs = await scene.db.listRuns({ minNumber: 11, maxNumber: 13 }, { withData: true });
        const failed = rs.find((r) => r.bootstrax.state === 'failed');
        if (failed) throw new Error(`run ${failed.number} failed: ${failed.bootstrax.reason}`);
        return rs.length === 3 && rs.every((r) => r.bootstrax.state === 'done') && rs;
      },
      240_000,
    );
    for (const run of runs) {
      const host = run.bootstrax.host!;
      expect(['eb3', 'eb4']).toContain(host);
      expect(run.bootstrax.nFailures).toBe(0);
      expect(run.status).toBe('eb_finished_pre');
      const processed = run.data!.filter((e) => e.type !== 'live');
      // exactly one host made and registered the data; every copy is complete where it says
      expect(new Set(processed.map((e) => e.host))).toEqual(new Set([host]));
      expect(processed.every((e) => e.status === 'complete')).toBe(true);
      const eid = processed.find((e) => e.type === 'event_info_double')!;
      expect(eid.location.startsWith(join(scene.dir, host))).toBe(true);

      // straxer from the same raw_records
      const runId = String(run.number).padStart(6, '0');
      const redo = join(scene.dir, `straxer-${runId}`);
      for (const e of processed.filter((x) => x.type.startsWith('raw_records')))
        cpSync(e.location, join(redo, e.location.split('/').pop()!), { recursive: true });
      const st = await runTool('straxer', [
        runId,
        '--target',
        'event_info_double',
        '--context',
        'xenonnt_online',
        '--add_folder',
        redo,
        '--config_from_json',
        join(live, `${runId}-daq_config.json`),
      ]);
      expect(st.code).toBe(0);
      const mine = chunkBytes(eid.location);
      expect(mine.size).toBeGreaterThan(0);
      expect(chunkBytes(join(redo, eid.location.split('/').pop()!))).toEqual(mine);
    }
    const other = (h: string) => (h === 'eb3' ? 'eb4' : 'eb3');
    for (const run of runs) {
      const absent = join(scene.dir, other(run.bootstrax.host!));
      const names = (() => {
        try {
          return readdirSync(absent);
        } catch {
          return [];
        }
      })();
      expect(names.filter((n) => n.startsWith(String(run.number).padStart(6, '0')))).toEqual([]);
    }
    const table = await runTool('straxts', ['runs', '--rundb', scene.url]);
    for (const n of ['000011', '000012', '000013'])
      expect(table.stdout).toMatch(new RegExp(`${n}\\s.*done\\s+eb[34]`));
    for (const d of daemons) expect(await d.stop('SIGTERM')).toBe(0);
  }, 400_000);
});
