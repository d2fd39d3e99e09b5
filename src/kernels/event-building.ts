// Event windows (straxen Events): large, isolated S2s trigger; each trigger opens a window
// reaching a maximum drift time plus a margin to the left and a margin to the right, and
// triggers whose windows touch are joined into one event.

import { clipInPlace, groupIntervals, splitByContainment } from './intervals.js';

export interface EventBuildingPeaks {
  /** Float64 offsets (exact integer ns). */
  time: Float64Array;
  endtime: Float64Array;
  area: Float32Array;
  type: ArrayLike<number>;
  /** Trigger feature (proximity score by default), compared as stored. */
  feature: ArrayLike<number>;
}

export interface EventBuildingOptions {
  /** Triggers need area strictly above this (compared in the area's float32 precision). */
  triggerMinArea: number;
  /** Triggers need feature <= this. */
  triggerMaxFeature: number;
  /** Feature column is float32: compare against the float32 threshold, as numpy does. */
  featureIsFloat32: boolean;
  /** Left extension including the maximum drift time. */
  leftExtension: number;
  rightExtension: number;
  /** Drop events that fully contain an S3 (type 3) peak. */
  excludeS3: boolean;
  /** Clip window ends into [start, end] of the data at hand. */
  start: number;
  end: number;
  maxDuration?: number;
}

/** Event [time, endtime) windows (offsets), sorted and disjoint. */
export function buildEvents(
  p: EventBuildingPeaks,
  o: EventBuildingOptions,
): { time: Float64Array; endtime: Float64Array } {
  const n = p.time.length;
  // numpy 1.24 compares a float32 column with a Python float in float32.
  const minArea = Math.fround(o.triggerMinArea);
  const maxFeature = o.featureIsFloat32 ? Math.fround(o.triggerMaxFeature) : o.triggerMaxFeature;
  const trig: number[] = [];
  for (let i = 0; i < n; i++) {
    if (p.area[i]! > minArea && p.type[i] === 2 && p.feature[i]! <= maxFeature) trig.push(i);
  }
  const ts = new Float64Array(trig.length),
    te = new Float64Array(trig.length);
  for (let k = 0; k < trig.length; k++) {
    ts[k] = p.time[trig[k]!]!;
    te[k] = p.endtime[trig[k]!]!;
  }
  const groups = groupIntervals(ts, te, {
    gapThreshold: o.leftExtension + o.rightExtension + 1,
    leftExtension: o.leftExtension,
    rightExtension: o.rightExtension,
    maxDuration: o.maxDuration,
  });
  const time = clipInPlace(groups.start, o.start, o.end);
  const endtime = clipInPlace(groups.end, o.start, o.end);
  if (!o.excludeS3 || time.length === 0) return { time, endtime };

  const split = splitByContainment(p.time, p.endtime, time, endtime);
  const keep: number[] = [];
  for (let e = 0; e < time.length; e++) {
    let hasS3 = false;
    for (let k = split.offsets[e]!; k < split.offsets[e + 1]!; k++) {
      if (p.type[split.indices[k]!] === 3) {
        hasS3 = true;
        break;
      }
    }
    if (!hasS3) keep.push(e);
  }
  return {
    time: Float64Array.from(keep, (e) => time[e]!),
    endtime: Float64Array.from(keep, (e) => endtime[e]!),
  };
}
