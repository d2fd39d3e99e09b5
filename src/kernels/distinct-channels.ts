// Channels that see light in an event's alternate S1 but not in its main S1 (a check that the
// two S1s come from different places, used in double-scatter analyses).

/**
 * For each event: the number of channels with area > 0 in peak altIndex[e] that have no
 * area > 0 in peak mainIndex[e]; 0 when there is no alternate S1 (index −1). Peak indices are
 * positions within the event's contained peaks, peakIndices[offsets[e] + k].
 */
export function distinctChannels(
  areaPerChannel: Float32Array,
  nChannels: number,
  peakIndices: Int32Array,
  offsets: Int32Array,
  mainIndex: Int32Array,
  altIndex: Int32Array,
  out: Int32Array,
): void {
  for (let e = 0; e < out.length; e++) {
    const alt = altIndex[e]!;
    if (alt === -1) {
      out[e] = 0;
      continue;
    }
    const inEvent = offsets[e + 1]! - offsets[e]!;
    const main = mainIndex[e]!;
    // Python indexing: −1 would mean the last peak; other out-of-range indices are errors.
    const local = (k: number) => {
      const j = k < 0 ? k + inEvent : k;
      if (j < 0 || j >= inEvent)
        throw new Error(`event ${e}: peak index ${k} is outside its ${inEvent} contained peaks`);
      return peakIndices[offsets[e]! + j]!;
    };
    const a = local(main) * nChannels,
      b = local(alt) * nChannels;
    let n = 0;
    for (let ch = 0; ch < nChannels; ch++) {
      if (areaPerChannel[b + ch]! > 0 && !(areaPerChannel[a + ch]! > 0)) n++;
    }
    out[e] = n;
  }
}
