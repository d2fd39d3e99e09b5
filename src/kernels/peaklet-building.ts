// The whole of straxen Peaklets.compute on one chunk, from records and their hits to peaklets
// and lone hits, as a sequence of the peak kernels (same steps, same order as straxen).

import type { BoundedHits, HitArrays, HitletArrays, PeakInputHits, RecordArrays } from './hit-arrays.js';
import {
  composeIndex,
  gatherF32,
  gatherF64,
  gatherI16,
  gatherI32,
  hitEndtimes,
  recordArraysOf,
  someHitColumns,
  takeHits,
  whereTrue,
} from './hit-arrays.js';
import type { PeakArrays } from './peak-arrays.js';
import { fullyContainedIn } from './intervals.js';
import { stableOrder } from './stable-sort.js';
import { clipTimes, findPeaks, outsidePeaksRegions } from './peak-building.js';
import { findHitIntegrationBounds, integrateLoneHits } from './hit-integration.js';
import { sumWaveform, sumWaveformOptions, type SumWaveformOptions } from './sum-waveform.js';
import { computeProperties } from './peak-properties.js';
import { naturalBreaksThreshold, splitPeaksNaturalBreaks, type GofCurve } from './peak-splitting.js';
import { peakSaturationCorrection } from './saturation.js';
import { addHitFeatures, countTouchingHits, peakletTightCoincidence } from './peaklet-hit-features.js';

export interface PeakletOptions {
  nChannels: number;
  nTopChannels: number;
  gapThreshold: number;
  leftExtension: number;
  rightExtension: number;
  minChannels: number;
  maxDuration: number;
  s1GofCurve: GofCurve;
  s2GofCurve: GofCurve;
  splitFilterWingWidth: number;
  splitMinArea: number;
  splitIterations: number;
  saturationCorrection: boolean;
  saturationReferenceLength: number;
  saturationMinReferenceLength: number;
  tightLeft: number;
  tightRight: number;
  channelRange: readonly [number, number];
  storeDataTop: boolean;
  storeDataStart: boolean;
}

export interface ChunkBounds {
  /** Chunk start and end as offsets from the time base. */
  start: number;
  end: number;
  /** Offset of absolute time 0. */
  epochZero: number;
}

/**
 * Peaklets and lone hits of one chunk. `hits` are find_hits' output on `records` (any order);
 * prev/next are the records' fragment links. Records are not modified (saturation correction
 * works on private copies).
 */
export function buildPeaklets(
  records: RecordArrays,
  foundHits: HitArrays,
  prevRecord: Int32Array,
  nextRecord: Int32Array,
  toPe: ArrayLike<number>,
  o: PeakletOptions,
  chunk: ChunkBounds,
): { peaklets: PeakArrays; loneHits: HitArrays } {
  // Hits in zero-gain channels must not affect the clustering.
  const keep = nonZeroGainRows(foundHits, toPe);
  // Rows of foundHits in (time, channel) order; columns are gathered only where needed.
  const t0 = keep ? gatherF64(foundHits.time, keep) : foundHits.time;
  const c0 = keep ? gatherI16(foundHits.channel, keep) : foundHits.channel;
  const sortedIdx = composeIndex(keep, stableOrder(t0, t0.length, c0));
  const hits = sortedIdx ? pickForPeaks(foundHits, sortedIdx) : foundHits;

  const shape = {
    nChannels: o.nChannels,
    nSamples: 200,
    nWidths: 11,
    withDataTop: true,
    withDataStart: true,
  };
  let peaklets = findPeaks(hits, toPe, shape, {
    gapThreshold: o.gapThreshold,
    leftExtension: o.leftExtension,
    rightExtension: o.rightExtension,
    minArea: 0,
    minChannels: o.minChannels,
    maxDuration: o.maxDuration,
  });
  clipTimes(peaklets.time, peaklets.length, peaklets.dt, peaklets.n, chunk.start, chunk.end);

  const hitEnd = hitEndtimes(hits);
  const peakEnd = endtimes(peaklets);
  const container = fullyContainedIn(
    hits.time.subarray(0, hits.n),
    hitEnd.subarray(0, hits.n),
    peaklets.time.subarray(0, peaklets.n),
    peakEnd.subarray(0, peaklets.n),
  );
  const lone = uncontained(container, hits.n);
  const loneSel = whereTrue(lone);
  const loneHits = takeHits(foundHits, composeIndex(sortedIdx, loneSel) ?? loneSel);
  integrateLoneHits(
    loneHits,
    records,
    peaklets.time,
    peakEnd,
    o.leftExtension,
    o.rightExtension,
    toPe.length,
    chunk.epochZero,
  );
  checkLoneWindows(loneHits);

  invertMask(lone);
  const inSel = whereTrue(lone);
  const inIdx = composeIndex(sortedIdx, inSel) ?? inSel;
  const inPeak: BoundedHits = someHitColumns(inSel.length, {
    time: gatherF64(hits.time, inSel),
    length: gatherI32(hits.length, inSel),
    dt: gatherI16(hits.dt, inSel),
    channel: gatherI16(hits.channel, inSel),
    recordI: gatherI32(foundHits.recordI, inIdx),
    leftIntegration: new Int16Array(inSel.length),
    rightIntegration: new Int16Array(inSel.length),
  });
  const outside = outsidePeaksRegions(peaklets, chunk.start, chunk.end);
  findHitIntegrationBounds(
    inPeak,
    outside.time,
    outside.endtime,
    records,
    o.leftExtension,
    o.rightExtension,
    toPe.length,
    true,
    chunk.epochZero,
  );
  // Hits become hitlets: extended to their integration windows (area stays the hit's).
  extendToIntegration(inPeak, gatherI16(foundHits.left, inIdx));
  const hitletOrder = stableOrder(inPeak.time, inPeak.n, inPeak.channel);
  const hitlets: HitletArrays = hitletOrder
    ? someHitColumns(inPeak.n, {
        time: gatherF64(inPeak.time, hitletOrder),
        length: gatherI32(inPeak.length, hitletOrder),
        dt: gatherI16(inPeak.dt, hitletOrder),
        channel: gatherI16(inPeak.channel, hitletOrder),
        recordI: gatherI32(inPeak.recordI, hitletOrder),
        leftIntegration: gatherI16(inPeak.leftIntegration, hitletOrder),
        rightIntegration: gatherI16(inPeak.rightIntegration, hitletOrder),
        maxTime: gatherF64(foundHits.maxTime, gatherI32(inIdx, hitletOrder)),
      })
    : someHitColumns(inPeak.n, {
        time: inPeak.time,
        length: inPeak.length,
        dt: inPeak.dt,
        channel: inPeak.channel,
        recordI: inPeak.recordI,
        leftIntegration: inPeak.leftIntegration,
        rightIntegration: inPeak.rightIntegration,
        maxTime: gatherF64(foundHits.maxTime, inIdx),
      });
  clipTimes(hitlets.time, hitlets.length, hitlets.dt, hitlets.n, chunk.start, chunk.end);

  const sum: SumWaveformOptions = sumWaveformOptions(o, undefined);
  sumWaveform(peaklets, hitlets, records, prevRecord, nextRecord, toPe, sum);
  computeProperties(peaklets, o.nTopChannels);

  peaklets = splitPeaksNaturalBreaks(
    peaklets,
    { hits: hitlets, records, prevRecord, nextRecord, adcToPe: toPe, sum },
    {
      threshold: (p) => naturalBreaksThreshold(p, o.s1GofCurve, o.s2GofCurve),
      splitLow: true,
      filterWingWidth: o.splitFilterWingWidth,
      minArea: o.splitMinArea,
      iterations: o.splitIterations,
    },
  );

  if (o.saturationCorrection) {
    const anySaturated = anyPositive(peaklets.nSaturatedChannels, peaklets.n);
    // Correction rewrites waveforms of saturated channels: work on a copy of the records.
    const recs = anySaturated
      ? recordArraysOf({
          ...records,
          data: records.data.slice(),
          area: records.area.slice(),
          amplitudeBitShift: records.amplitudeBitShift.slice(),
        })
      : records;
    const list = peakSaturationCorrection(recs, prevRecord, nextRecord, peaklets, hitlets, toPe, {
      referenceLength: o.saturationReferenceLength,
      minReferenceLength: o.saturationMinReferenceLength,
      sum,
    });
    computeProperties(peaklets, o.nTopChannels, list ?? undefined);
  }

  peakletTightCoincidence(peaklets, hitlets, o.tightLeft, o.tightRight, o.channelRange[0], o.channelRange[1]);
  const hitletEnd = hitEndtimes(hitlets);
  const finalEnd = endtimes(peaklets);
  addHitFeatures(peaklets, hitlets, hitletEnd, finalEnd);
  countTouchingHits(peaklets, hitlets, hitletEnd, finalEnd);

  checkPeaklets(peaklets);
  return { peaklets, loneHits };
}

// buildPeaklets runs once per chunk and keeps no loop of its own: a loop there would have V8
// optimise the whole (large) function mid-call, then compile it again at the first step after
// the loop that had not run yet, on every chunk. The loops below are small functions.

/** Rows of hits in channels with a non-zero gain, or null when that is all of them. */
function nonZeroGainRows(hits: HitArrays, toPe: ArrayLike<number>): Int32Array | null {
  let nZero = 0;
  for (let k = 0; k < hits.n; k++) if (toPe[hits.channel[k]!] === 0) nZero++;
  if (nZero === 0) return null;
  const mask = new Uint8Array(hits.n);
  for (let k = 0; k < hits.n; k++) mask[k] = toPe[hits.channel[k]!] !== 0 ? 1 : 0;
  return whereTrue(mask);
}

/** 1 where a hit is in no peaklet (container -1). */
function uncontained(container: Int32Array, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let k = 0; k < n; k++) out[k] = container[k] === -1 ? 1 : 0;
  return out;
}

function invertMask(mask: Uint8Array): void {
  for (let k = 0; k < mask.length; k++) mask[k] = mask[k] ? 0 : 1;
}

function checkLoneWindows(loneHits: HitArrays): void {
  for (let k = 0; k < loneHits.n; k++) {
    if (loneHits.rightIntegration[k]! - loneHits.leftIntegration[k]! <= 0) {
      throw new Error('Peaklets: found a lone hit with a non-positive integration window');
    }
  }
}

/** Hits become hitlets: start and length from their integration windows. */
function extendToIntegration(h: BoundedHits, left: Int16Array): void {
  for (let k = 0; k < h.n; k++) {
    h.time[k] = h.time[k]! - (left[k]! - h.leftIntegration[k]!) * h.dt[k]!;
    h.length[k] = h.rightIntegration[k]! - h.leftIntegration[k]!;
  }
}

function anyPositive(a: ArrayLike<number>, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[i]! > 0) return true;
  return false;
}

function checkPeaklets(peaklets: PeakArrays): void {
  for (let i = 0; i < peaklets.n; i++) {
    if (peaklets.channel[i] !== -1)
      throw new Error(`Peaklets: found peaklet channel ${peaklets.channel[i]} other than -1`);
    if (peaklets.nHits[i]! < peaklets.tightCoincidence[i]!)
      throw new Error('Peaklets: found n_hits less than tight_coincidence');
  }
}

/** The columns find_peaks and containment read, in the given row order. */
function pickForPeaks(h: HitArrays, idx: Int32Array): PeakInputHits {
  return someHitColumns(idx.length, {
    time: gatherF64(h.time, idx),
    length: gatherI32(h.length, idx),
    dt: gatherI16(h.dt, idx),
    channel: gatherI16(h.channel, idx),
    area: gatherF32(h.area, idx),
  });
}

function endtimes(p: PeakArrays): Float64Array {
  const e = new Float64Array(p.n);
  for (let i = 0; i < p.n; i++) e[i] = p.time[i]! + p.length[i]! * p.dt[i]!;
  return e;
}
