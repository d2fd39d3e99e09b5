import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InterpolatingMap } from '../../src/config/itp-map.js';
import { KdTree } from '../../src/kernels/kdtree.js';

const grid2d = (f: (x: number, y: number) => number, n = 11) => {
  const xs = Array.from({ length: n }, (_, i) => -50 + (100 * i) / (n - 1));
  return {
    coordinate_system: [
      ['x', [-50, 50, n]],
      ['y', [-50, 50, n]],
    ],
    map: xs.map((x) => xs.map((y) => f(x, y))),
  };
};

describe('constant (0-d) maps', () => {
  it('return their value for any positions, NaN included', () => {
    const m = new InterpolatingMap({ coordinate_system: [], map: 1.5, name: 'c' });
    expect(
      Array.from(
        m.evaluate([
          [NaN, 3, 1e9],
          [0, 0, 0],
        ]),
      ),
    ).toEqual([1.5, 1.5, 1.5]);
    const z = new InterpolatingMap({ coordinate_system: [], z_bias_map: 0 });
    expect(z.mapNames).toEqual(['z_bias_map']);
    expect(() => z.evaluate([[1]])).toThrow(/no map named 'map'/);
  });
});

describe('RegularGridInterpolator maps', () => {
  const lin = (x: number, y: number) => 0.3 + 0.01 * x - 0.02 * y;
  const m = new InterpolatingMap(grid2d(lin), 'RegularGridInterpolator');
  it('reproduce a linear function inside the grid and extrapolate it linearly outside', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -90, max: 90, noNaN: true }),
        fc.double({ min: -90, max: 90, noNaN: true }),
        (x, y) => {
          const v = m.evaluate([[x], [y]])[0]!;
          expect(Math.abs(v - lin(x, y))).toBeLessThan(1e-12);
        },
      ),
    );
  });
  it('give NaN for NaN positions and the node value at nodes', () => {
    const v = m.evaluate([
      [NaN, 10, 0],
      [0, NaN, -50],
    ]);
    expect(Number.isNaN(v[0]!) && Number.isNaN(v[1]!)).toBe(true);
    expect(v[2]).toBe(lin(0, -50));
  });
  it('work in three dimensions and for vector-valued maps', () => {
    const n = 5,
      ax = [0, 1, 2, 3, 4];
    const f3 = (x: number, y: number, z: number) => 1 + x + 2 * y - z;
    const map3 = new InterpolatingMap(
      {
        coordinate_system: [
          ['x', [0, 4, n]],
          ['y', [0, 4, n]],
          ['z', [0, 4, n]],
        ],
        map: ax.map((x) => ax.map((y) => ax.map((z) => f3(x, y, z)))),
      },
      'RegularGridInterpolator',
    );
    expect(map3.evaluate([[1.25], [2.5], [-1]])[0]).toBeCloseTo(f3(1.25, 2.5, -1), 12);
    const vec = new InterpolatingMap(
      {
        coordinate_system: [[0], [1]],
        map: [
          [0, 10],
          [1, 20],
        ],
      },
      'RegularGridInterpolator',
    );
    expect(vec.width()).toBe(2);
    expect(Array.from(vec.evaluate([[0.5]]))).toEqual([0.5, 15]);
  });
});

describe('weighted-nearest-neighbour maps (the default)', () => {
  it('average the 2·d nearest points: inside the value range, the point value at a point', () => {
    const m = new InterpolatingMap(grid2d((x, y) => x * y));
    fc.assert(
      fc.property(
        fc.double({ min: -80, max: 80, noNaN: true }),
        fc.double({ min: -80, max: 80, noNaN: true }),
        (x, y) => {
          const v = m.evaluate([[x], [y]])[0]!;
          expect(v).toBeGreaterThanOrEqual(-2500);
          expect(v).toBeLessThanOrEqual(2500);
        },
      ),
    );
    expect(m.evaluate([[10], [20]])[0]).toBeCloseTo(200, 3);
    expect(Number.isNaN(m.evaluate([[NaN], [0]])[0]!)).toBe(true);
  });
  it('scale coordinates like straxen (map "map" rebuilt on scaled points)', () => {
    const data = grid2d((x, y) => x - y);
    const a = new InterpolatingMap(data),
      b = new InterpolatingMap(data);
    b.scaleCoordinates(2);
    expect(b.evaluate([[14], [3]])[0]).toBeCloseTo(a.evaluate([[7], [1.5]])[0]!, 12);
    expect(() => b.scaleCoordinates([1, 2, 3])).toThrow(/3 entries but the map has 2 dimensions/);
  });
  it('reject unknown methods and mismatched dimensions with one clear line', () => {
    expect(
      () =>
        new InterpolatingMap(
          grid2d(() => 1),
          'RectBivariateSpline',
        ),
    ).toThrow(/not supported/);
    expect(() => new InterpolatingMap(grid2d(() => 1)).evaluate([[1]])).toThrow(/2 dimensions/);
  });
});

describe('k-nearest-neighbour search', () => {
  it('finds the same distances as a brute-force search', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: -20, max: 20 }),
            fc.integer({ min: -20, max: 20 }),
            fc.integer({ min: -5, max: 5 }),
          ),
          { minLength: 6, maxLength: 80 },
        ),
        fc.tuple(
          fc.double({ min: -25, max: 25, noNaN: true }),
          fc.double({ min: -25, max: 25, noNaN: true }),
          fc.double({ min: -6, max: 6, noNaN: true }),
        ),
        (pts, q) => {
          const flat = Float64Array.from(pts.flat());
          const tree = new KdTree(flat, 3);
          const k = 6,
            idx = new Int32Array(k),
            dist = new Float64Array(k);
          tree.query(q, k, idx, dist);
          const brute = pts
            .map((p) => Math.sqrt((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 + (p[2] - q[2]) ** 2))
            .sort((a, b) => a - b)
            .slice(0, k);
          expect(Array.from(dist)).toEqual(brute);
        },
      ),
    );
  });
});
