// The whole of straxen Peaklets.compute on one chunk, from records and their hits to peaklets
// and lone hits, as a sequence of the peak kernels (same steps, same order as straxen).

import type { HitArrays, RecordArrays } from './hit-arrays.js';
import { hitEndtimes, takeHits, whereTrue } from './hit-arrays.js';
import type { PeakArrays } from './peak-arrays.js';
import { argsortTimeChannel, fullyContainedIn } from './interval-overlap.js';
import { clipTimes, findPeaks, outsidePeaksRegions } from './peak-building.js';
import { findHitIntegrationBounds, integrateLoneHits } from './hit-integration.js';
import { sumWaveform, type SumWaveformOptions } from './sum-waveform.js';
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
  records: RecordArrays, foundHits: HitArrays, prevRecord: Int32Array, nextRecord: Int32Array,
  toPe: ArrayLike<number>, o: PeakletOptions, chunk: ChunkBounds,
): { peaklets: PeakArrays; loneHits: HitArrays } {
  // Hits in zero-gain channels must not affect the clustering.
  const nonzero = new Uint8Array(foundHits.n);
  for (let k = 0; k < foundHits.n; k++) nonzero[k] = toPe[foundHits.channel[k]!] !== 0 ? 1 : 0;
  let hits = takeHits(foundHits, whereTrue(nonzero));
  hits = takeHits(hits, argsortTimeChannel(hits.time, hits.channel, hits.n));

  const shape = { nChannels: o.nChannels, nSamples: 200, nWidths: 11, withDataTop: true, withDataStart: true };
  let peaklets = findPeaks(hits, toPe, shape, {
    gapThreshold: o.gapThreshold, leftExtension: o.leftExtension, rightExtension: o.rightExtension,
    minArea: 0, minChannels: o.minChannels, maxDuration: o.maxDuration,
  });
  clipTimes(peaklets.time, peaklets.length, peaklets.dt, peaklets.n, chunk.start, chunk.end);

  const hitEnd = hitEndtimes(hits);
  const peakEnd = endtimes(peaklets);
  const container = fullyContainedIn(hits.time, hitEnd, hits.n, peaklets.time, peakEnd, peaklets.n);
  const lone = new Uint8Array(hits.n);
  for (let k = 0; k < hits.n; k++) lone[k] = container[k] === -1 ? 1 : 0;
  const loneHits = takeHits(hits, whereTrue(lone));
  integrateLoneHits(loneHits, records, peaklets.time, peakEnd, o.leftExtension, o.rightExtension, toPe.length, chunk.epochZero);
  for (let k = 0; k < loneHits.n; k++) {
    if (loneHits.rightIntegration[k]! - loneHits.leftIntegration[k]! <= 0) {
      throw new Error('Peaklets: found a lone hit with a non-positive integration window');
    }
  }

  for (let k = 0; k < hits.n; k++) lone[k] = lone[k] ? 0 : 1;
  let hitlets = takeHits(hits, whereTrue(lone));
  const outside = outsidePeaksRegions(peaklets, chunk.start, chunk.end);
  findHitIntegrationBounds(hitlets, outside.time, outside.endtime, records, o.leftExtension, o.rightExtension,
    toPe.length, true, chunk.epochZero);
  // Hits become hitlets: extended to their integration windows (area stays the hit's).
  for (let k = 0; k < hitlets.n; k++) {
    hitlets.time[k] = hitlets.time[k]! - (hitlets.left[k]! - hitlets.leftIntegration[k]!) * hitlets.dt[k]!;
    hitlets.length[k] = hitlets.rightIntegration[k]! - hitlets.leftIntegration[k]!;
  }
  hitlets = takeHits(hitlets, argsortTimeChannel(hitlets.time, hitlets.channel, hitlets.n));
  clipTimes(hitlets.time, hitlets.length, hitlets.dt, hitlets.n, chunk.start, chunk.end);

  const sum: SumWaveformOptions = { nTopChannels: o.nTopChannels, storeDataTop: o.storeDataTop, storeDataStart: o.storeDataStart };
  sumWaveform(peaklets, hitlets, records, prevRecord, nextRecord, toPe, sum);
  computeProperties(peaklets, o.nTopChannels);

  peaklets = splitPeaksNaturalBreaks(peaklets, { hits: hitlets, records, prevRecord, nextRecord, adcToPe: toPe, sum }, {
    threshold: (p) => naturalBreaksThreshold(p, o.s1GofCurve, o.s2GofCurve),
    splitLow: true, filterWingWidth: o.splitFilterWingWidth, minArea: o.splitMinArea, iterations: o.splitIterations,
  });

  if (o.saturationCorrection) {
    let anySaturated = false;
    for (let i = 0; i < peaklets.n; i++) if (peaklets.nSaturatedChannels[i]! > 0) { anySaturated = true; break; }
    // Correction rewrites waveforms of saturated channels: work on a copy of the records.
    const recs = anySaturated
      ? { ...records, data: records.data.slice(), area: records.area.slice(), amplitudeBitShift: records.amplitudeBitShift.slice() }
      : records;
    const list = peakSaturationCorrection(recs, prevRecord, nextRecord, peaklets, hitlets, toPe, {
      referenceLength: o.saturationReferenceLength, minReferenceLength: o.saturationMinReferenceLength, sum,
    });
    computeProperties(peaklets, o.nTopChannels, list ?? undefined);
  }

  peakletTightCoincidence(peaklets, hitlets, o.tightLeft, o.tightRight, o.channelRange[0], o.channelRange[1]);
  const hitletEnd = hitEndtimes(hitlets);
  const finalEnd = endtimes(peaklets);
  addHitFeatures(peaklets, hitlets, hitletEnd, finalEnd);
  countTouchingHits(peaklets, hitlets, hitletEnd, finalEnd);

  for (let i = 0; i < peaklets.n; i++) {
    if (peaklets.channel[i] !== -1) throw new Error(`Peaklets: found peaklet channel ${peaklets.channel[i]} other than -1`);
    if (peaklets.nHits[i]! < peaklets.tightCoincidence[i]!) throw new Error('Peaklets: found n_hits less than tight_coincidence');
  }
  return { peaklets, loneHits };
}

function endtimes(p: PeakArrays): Float64Array {
  const e = new Float64Array(p.n);
  for (let i = 0; i < p.n; i++) e[i] = p.time[i]! + p.length[i]! * p.dt[i]!;
  return e;
}
