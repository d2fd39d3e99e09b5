import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POST_PROCESS,
  DEFAULT_TARGETS,
  filterByDetectors,
  inferTargets,
  pruneAfterFailures,
  TargetError,
} from '../../../src/daq/bootstrax/targets.js';

const req = { targets: [...DEFAULT_TARGETS], postProcess: [...DEFAULT_POST_PROCESS], fixTarget: false };
const tpcRun = { mode: 'tpc_commissioning', detectors: ['tpc', 'neutron_veto', 'muon_veto'], nFailures: 0 };

describe('bootstrax target inference', () => {
  it('prunes by straxen’s table: a pattern drops targets once failures exceed its threshold', () => {
    const all = ['event_info', 'peak_basics', 'merged_s2s', 'peaklets', 'records', 'veto_intervals'];
    expect(pruneAfterFailures(all, 2)).toEqual(all);
    expect(pruneAfterFailures(all, 3)).toEqual([
      'peak_basics',
      'merged_s2s',
      'peaklets',
      'records',
      'veto_intervals',
    ]);
    expect(pruneAfterFailures(all, 5)).toEqual(['merged_s2s', 'peaklets', 'records']);
    expect(pruneAfterFailures(all, 6)).toEqual(['peaklets', 'records']);
    expect(pruneAfterFailures(all, 7)).toEqual(['records']);
    expect(pruneAfterFailures(all, 8)).toEqual(['raw_records']);
  });

  it('keeps the lists as given with --fix_target', () => {
    const r = inferTargets(
      { ...req, targets: ['event_info_double'], fixTarget: true },
      { ...tpcRun, nFailures: 9, mode: 'pmtgain' },
    );
    expect(r.targets).toEqual(['event_info_double']);
  });

  it('run modes replace the targets after pruning', () => {
    expect(inferTargets(req, { ...tpcRun, mode: 'tpc_pmtgain_x' }).targets).toEqual(['led_calibration']);
    expect(inferTargets(req, { ...tpcRun, mode: 'noise_run' })).toMatchObject({
      targets: ['raw_records'],
      postProcessing: ['raw_records'],
    });
    expect(inferTargets(req, { ...tpcRun, mode: 'tpc_kr83m' }).targets).toContain('event_info_double');
    // pruned below event_info first: kr83m adds nothing
    expect(inferTargets(req, { ...tpcRun, mode: 'tpc_kr83m', nFailures: 3 }).targets).not.toContain(
      'event_info_double',
    );
  });

  it('keeps veto targets only of detectors that took part', () => {
    expect(filterByDetectors(['event_info', 'events_nv', 'events_mv'], ['tpc'])).toEqual(['event_info']);
    expect(filterByDetectors(['event_info', 'events_nv', 'events_mv'], ['neutron_veto'])).toEqual([
      'events_nv',
    ]);
    expect(filterByDetectors(['event_info'], ['muon_veto'])).toEqual(['raw_records']);
  });

  it('AmBe runs take the host’s mode definition', () => {
    const ambe = {
      ambeModes: { eb3: 'fast' },
      modesDefinitions: { fast: { targets: ['peaklets'], post_process: ['raw_records'] } },
    };
    expect(
      inferTargets(req, { ...tpcRun, mode: 'ambe_link' }, { hostname: 'eb3.xenon.local', ambe }).targets,
    ).toEqual(['peaklets']);
    expect(
      inferTargets(req, { ...tpcRun, mode: 'ambe_link' }, { hostname: 'eb4.xenon.local', ambe }).targets,
    ).toEqual([...DEFAULT_TARGETS]);
  });

  it('refuses a target listed twice', () => {
    expect(() => inferTargets({ ...req, targets: ['event_info', 'event_info'] }, tpcRun)).toThrow(
      TargetError,
    );
  });
});
