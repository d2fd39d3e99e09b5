import { describe, expect, it } from 'vitest';
import { classifyPeaklets, type ClassificationInput } from '../../src/kernels/classification.js';

const RULES = {
  s1RisetimeAreaParameters: [50, 80, 12] as const,
  s1RisetimeAftParameters: [-1, 2.6] as const,
  s1FlattenThresholdAft: [0.6, 100] as const,
  s1MaxRiseTimePost100: 200,
  s1MinCoincidence: 2,
  s2MinPmts: 4,
};

function one(area: number, rise: number, aft: number, tc: number, nCh: number): number {
  const apc = new Float32Array(10);
  apc.fill(1, 0, nCh);
  const adm = new Float32Array(11);
  adm[1] = -rise;
  const p: ClassificationInput = {
    n: 1,
    area: Float32Array.of(area),
    areaFractionTop: Float32Array.of(aft),
    areaPerChannel: apc,
    nChannels: 10,
    areaDecileFromMidpoint: adm,
    nWidths: 11,
    tightCoincidence: Int16Array.of(tc),
  };
  return classifyPeaklets(p, RULES)[0]!;
}

describe('peaklet classification rules', () => {
  it('large S1: fast rise (<= 200 ns inclusive) and tight coincidence', () => {
    expect(one(500, 200, 0.2, 2, 10)).toBe(1);
    expect(one(500, 201, 0.2, 2, 10)).toBe(2);
    expect(one(500, 50, 0.2, 1, 10)).toBe(2);
  });

  it('small S1: under both rise-time boundaries (strict), flat boundary above aft 0.6', () => {
    expect(one(50, 70, 0.2, 3, 3)).toBe(1);
    // boundary 10 ** (2.6 - 0.5) ≈ 125.9 vs area boundary 50 e^(-50/12) + 80 ≈ 80.8
    expect(one(50, 81, 0.5, 3, 3)).toBe(0);
    expect(one(50, 79, 0.7, 3, 3)).toBe(1);
    expect(one(50, 79, NaN, 3, 5)).toBe(2); // NaN aft never makes an S1
  });

  it('S2 needs 4 channels with positive area; everything else is unknown', () => {
    expect(one(1000, 1000, 0.7, 10, 4)).toBe(2);
    expect(one(1000, 1000, 0.7, 10, 3)).toBe(0);
  });
});
