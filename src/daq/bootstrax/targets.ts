// Which data types bootstrax makes for a run (spec scripts.md §1.9): the command-line targets,
// pruned after repeated failures, replaced for special run modes, filtered by the detectors
// that took part. Tables, not code paths.

import { globToRegExp } from '../../core/context/queries.js';

export const DEFAULT_TARGETS = [
  'event_info',
  'events_nv',
  'events_mv',
  'online_peak_monitor',
  'veto_proximity',
] as const;
export const DEFAULT_POST_PROCESS = ['veto_intervals'] as const;

/** A target matching the pattern is dropped once the run has failed more than `after` times. */
export const FAILURE_PRUNING: readonly { pattern: string; after: number }[] = [
  { pattern: 'event*', after: 2 },
  { pattern: 'corrected_areas', after: 2 },
  { pattern: 'energy_estimates', after: 2 },
  { pattern: 'distinct_channels', after: 2 },
  { pattern: '*pos*', after: 3 },
  { pattern: 'individual_peak*', after: 3 },
  { pattern: 'online_monitor_*v', after: 3 },
  { pattern: 'peak_*', after: 4 },
  { pattern: 'online_peak*', after: 4 },
  { pattern: '*hit*', after: 4 },
  { pattern: 'veto_*', after: 4 },
  { pattern: '*pulse*', after: 4 },
  { pattern: 'led_*', after: 4 },
  { pattern: 'ext_timings_nv', after: 4 },
  { pattern: 'merged_s2s*', after: 5 },
  { pattern: 'peak*', after: 6 },
  { pattern: 'lone_*', after: 6 },
  { pattern: 'detector_time_*', after: 6 },
  { pattern: '*', after: 7 },
];

/** Run modes (substring of the mode) that replace the targets; the first match wins. */
export const MODE_TARGETS: readonly { contains: readonly string[]; targets: string[]; post: string[] }[] = [
  { contains: ['pmtgain'], targets: ['led_calibration'], post: ['raw_records'] },
  { contains: ['pmtap'], targets: ['afterpulses'], post: ['raw_records'] },
  { contains: ['nVeto_LASER_calibration'], targets: ['ref_mon_nv'], post: ['raw_records'] },
  {
    contains: ['exttrig', 'noise', 'mv_diffuserballs', 'mv_fibres', 'mv_darkrate'],
    targets: ['raw_records'],
    post: ['raw_records'],
  },
];

export interface TargetRequest {
  targets: readonly string[];
  postProcess: readonly string[];
  /** --fix_target: use the lists as given. */
  fixTarget: boolean;
}

export interface RunFacts {
  mode: string | null;
  detectors: readonly string[];
  /** Failures before this attempt. */
  nFailures: number;
}

/** AmBe runs: what the DAQ's bootstrax_config names for this host (straxen reads MongoDB). */
export interface AmbeModes {
  /** Mode per host prefix (`eb3`), `default` = keep the normal targets. */
  ambeModes: Record<string, string>;
  modesDefinitions: Record<string, { targets: string[]; post_process: string[] }>;
}

export interface InferredTargets {
  targets: string[];
  postProcessing: string[];
  /** Why the lists differ from the request (for the log). */
  notes: string[];
}

export class TargetError extends Error {}

const matches = (target: string, pattern: string): boolean => globToRegExp(pattern).test(target);

/** Drop targets that failed too often; nothing left → raw_records. */
export function pruneAfterFailures(targets: readonly string[], nFailures: number): string[] {
  const kept = targets.filter(
    (t) => !FAILURE_PRUNING.some(({ pattern, after }) => nFailures > after && matches(t, pattern)),
  );
  return kept.length ? kept : ['raw_records'];
}

/** Keep the veto targets of the detectors that took part (`*_nv`, `*_mv`). */
export function filterByDetectors(targets: readonly string[], detectors: readonly string[]): string[] {
  const nv = detectors.includes('neutron_veto');
  const mv = detectors.includes('muon_veto');
  const kept = detectors.includes('tpc')
    ? targets.filter((t) => (nv || !matches(t, '*_nv')) && (mv || !matches(t, '*_mv')))
    : targets.filter((t) => (nv && matches(t, '*_nv')) || (mv && matches(t, '*_mv')));
  return kept.length ? kept : ['raw_records'];
}

export function inferTargets(
  req: TargetRequest,
  run: RunFacts,
  opts: { hostname?: string; ambe?: AmbeModes } = {},
): InferredTargets {
  const notes: string[] = [];
  let targets = [...req.targets];
  let post = [...req.postProcess];
  if (!req.fixTarget) {
    targets = pruneAfterFailures(targets, run.nFailures);
    post = pruneAfterFailures(post, run.nFailures);
    if (targets.join() !== req.targets.join())
      notes.push(`${run.nFailures} failures: targets reduced to ${targets.join(', ')}`);
    const mode = run.mode ?? '';
    // Mode overrides come after pruning: they ignore failures, as straxen's.
    const special = MODE_TARGETS.find((m) => m.contains.some((c) => mode.includes(c)));
    if (special) {
      targets = [...special.targets];
      post = [...special.post];
      notes.push(`mode ${mode}: targets ${targets.join(', ')}`);
    } else if (mode.includes('kr83m') && targets.length) {
      if (targets.includes('event_info') || post.includes('event_info')) targets.push('event_info_double');
    } else if (mode.includes('ambe') && opts.ambe) {
      const host = (opts.hostname ?? '').slice(0, 3);
      const name = opts.ambe.ambeModes[host] ?? 'default';
      const def = opts.ambe.modesDefinitions[name];
      if (name !== 'default' && def) {
        targets = [...def.targets];
        post = [...def.post_process];
        notes.push(`AmBe mode ${name} on ${host}`);
      }
    }
    targets = filterByDetectors(targets, run.detectors);
    post = filterByDetectors(post, run.detectors);
    if (run.detectors.length > 1) notes.push('running in linked mode');
  }
  if (!targets.length) targets = ['raw_records'];
  if (!post.length) post = ['raw_records'];
  for (const [name, list] of [
    ['targets', targets],
    ['post-processing targets', post],
  ] as const) {
    const dup = list.find((t, i) => list.indexOf(t) !== i);
    if (dup !== undefined) throw new TargetError(`${name} list ${dup} twice: ${list.join(', ')}`);
  }
  return { targets, postProcessing: post, notes };
}
