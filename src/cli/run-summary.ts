// What a physicist wants to know about a processed run at a glance: how many events and at
// what rate, how many S1 and S2 peaks, the ranges of cS1, cS2 and drift time, the dead time.
// Computed from whatever of event_info / event_basics / corrected_areas / peak_basics /
// veto_regions is stored; a line is left out when its data is not.

import type { Records } from '../core/records.js';

/** Every column the summary reads, of any data type; a loader may drop the others. */
export const SUMMARY_COLUMNS = [
  'time',
  'endtime',
  's1_index',
  's2_index',
  'cs1',
  'cs2',
  'drift_time',
  'type',
  'length',
  'dt',
] as const;

/** Rows of a stored data type, or null when it is not stored. */
export type StoredLoader = (dataType: string) => Promise<Records | null>;

export interface Spread {
  min: number;
  median: number;
  max: number;
  /** Values that went in (finite, > 0 for areas). */
  n: number;
}

export interface PhysicsSummary {
  runId: string;
  /** Run length [s], when known. */
  seconds: number | null;
  events: number | null;
  /** Events with both a main S1 and a main S2. */
  eventsWithS1S2: number | null;
  s1Peaks: number | null;
  s2Peaks: number | null;
  otherPeaks: number | null;
  cs1: Spread | null;
  cs2: Spread | null;
  /** Drift time [µs]. */
  driftUs: Spread | null;
  /** Total length of the veto intervals [ns] and how many there are. */
  deadTimeNs: number | null;
  vetoIntervals: number | null;
}

function spread(values: ArrayLike<number | bigint>, keep: (x: number) => boolean, scale = 1): Spread | null {
  const v: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const x = Number(values[i]);
    if (Number.isFinite(x) && keep(x)) v.push(x * scale);
  }
  if (v.length === 0) return null;
  v.sort((a, b) => a - b);
  const m = v.length >> 1;
  return { min: v[0]!, max: v.at(-1)!, median: v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2, n: v.length };
}

/** The first of these stored types that has the field. */
async function withField(
  load: (t: string) => Promise<Records | null>,
  types: readonly string[],
  field: string,
): Promise<Records | null> {
  for (const t of types) {
    const r = await load(t);
    if (r && r.dtype.names.includes(field)) return r;
  }
  return null;
}

export async function physicsSummary(
  runId: string,
  loadStored: StoredLoader,
  seconds: number | null,
): Promise<PhysicsSummary> {
  const cache = new Map<string, Promise<Records | null>>();
  const load = (t: string): Promise<Records | null> => {
    if (!cache.has(t)) cache.set(t, loadStored(t));
    return cache.get(t)!;
  };
  const eventTypes = ['event_info', 'event_basics', 'corrected_areas'];
  const events = await withField(load, eventTypes, 'time');
  const withIndex = await withField(load, eventTypes, 's2_index');
  const cs = await withField(load, eventTypes, 'cs1');
  const drift = await withField(load, eventTypes, 'drift_time');
  const peaks = await load('peak_basics');
  const veto = await load('veto_regions');

  let both: number | null = null;
  if (withIndex && withIndex.dtype.names.includes('s1_index')) {
    const s1 = withIndex.col('s1_index'),
      s2 = withIndex.col('s2_index');
    both = 0;
    for (let i = 0; i < withIndex.length; i++) if (Number(s1[i]) >= 0 && Number(s2[i]) >= 0) both++;
  }
  let s1Peaks: number | null = null,
    s2Peaks: number | null = null,
    otherPeaks: number | null = null;
  if (peaks && peaks.dtype.names.includes('type')) {
    const type = peaks.col('type');
    s1Peaks = s2Peaks = otherPeaks = 0;
    for (let i = 0; i < peaks.length; i++) {
      if (type[i] === 1) s1Peaks++;
      else if (type[i] === 2) s2Peaks++;
      else otherPeaks++;
    }
  }
  let deadTimeNs: number | null = null;
  if (veto && veto.dtype.names.includes('length')) {
    const len = veto.col('length'),
      dt = veto.col('dt');
    deadTimeNs = 0;
    for (let i = 0; i < veto.length; i++) deadTimeNs += Number(len[i]) * Number(dt[i]);
  }
  return {
    runId,
    seconds,
    events: events?.length ?? null,
    eventsWithS1S2: both,
    s1Peaks,
    s2Peaks,
    otherPeaks,
    cs1: cs ? spread(cs.col('cs1'), (x) => x > 0) : null,
    cs2: cs && cs.dtype.names.includes('cs2') ? spread(cs.col('cs2'), (x) => x > 0) : null,
    driftUs: drift ? spread(drift.col('drift_time'), (x) => x > 0, 1e-3) : null,
    deadTimeNs,
    vetoIntervals: veto ? veto.length : null,
  };
}

/** Nothing to tell: no event, peak or veto data was stored. */
export function summaryIsEmpty(p: PhysicsSummary): boolean {
  return p.events === null && p.s1Peaks === null && p.deadTimeNs === null;
}

const num = (x: number): string =>
  x === 0 ? '0' : Math.abs(x) >= 1e5 || Math.abs(x) < 0.01 ? x.toExponential(2) : x.toFixed(x >= 100 ? 0 : 1);
const range = (s: Spread, unit: string): string =>
  `${num(s.min)} – ${num(s.max)} ${unit} (median ${num(s.median)}, ${s.n} events)`;

export function formatPhysicsSummary(p: PhysicsSummary): string[] {
  const out = [
    `Physics summary of run ${p.runId}${p.seconds !== null ? ` (${p.seconds.toFixed(1)} s)` : ''}:`,
  ];
  if (p.events !== null) {
    const rate = p.seconds ? `, ${(p.events / p.seconds).toFixed(2)} Hz` : '';
    const both = p.eventsWithS1S2 !== null ? `; ${p.eventsWithS1S2} with both a main S1 and a main S2` : '';
    out.push(`  events: ${p.events}${rate}${both}`);
  }
  if (p.s1Peaks !== null) out.push(`  peaks: ${p.s1Peaks} S1, ${p.s2Peaks} S2, ${p.otherPeaks} unclassified`);
  if (p.cs1) out.push(`  cS1: ${range(p.cs1, 'PE')}`);
  if (p.cs2) out.push(`  cS2: ${range(p.cs2, 'PE')}`);
  if (p.driftUs) out.push(`  drift time: ${range(p.driftUs, 'µs')}`);
  if (p.deadTimeNs !== null) {
    // straxen's veto_regions: records vetoed by the software high-energy veto.
    const frac = p.seconds ? ` (${((100 * p.deadTimeNs) / 1e9 / p.seconds).toFixed(3)}% of the run)` : '';
    out.push(
      `  dead time: ${(p.deadTimeNs / 1e6).toFixed(1)} ms in ${p.vetoIntervals} software-veto interval${p.vetoIntervals === 1 ? '' : 's'}${frac}`,
    );
  }
  if (out.length === 1) out.push('  no event, peak or veto data stored for this run');
  return out;
}
