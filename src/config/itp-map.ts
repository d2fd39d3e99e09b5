// Detector maps in straxen's JSON format (straxen's InterpolatingMap): a dict with
// `coordinate_system` (empty for a constant map, a list of points, or a grid spec
// [["x", [min, max, n]], ...]) and one or more named maps; metadata keys are not maps.
// Calling a map with positions gives the interpolated values (see kernels/interpolation.ts).

import type { DetectorMap } from '../core/detector-map.js';
import { KdTree } from '../kernels/kdtree.js';
import {
  gridPoints,
  inverseDistanceInterpolate,
  linspace,
  regularGridInterpolate,
  uniqueCoordinates,
} from '../kernels/interpolation.js';
import { rotatePerpWiresF32, rotatePerpWiresF64 } from '../kernels/perp-wires.js';

const METADATA_KEYS = new Set([
  'timestamp',
  'description',
  'coordinate_system',
  'name',
  'irregular',
  'compressed',
  'quantized',
  'rotated',
]);

export const DEFAULT_MAP_METHOD = 'WeightedNearestNeighbors';

/** Extra options, as straxen passes them on from the URL (unknown ones are ignored, as there). */
export interface MapOptions {
  /** Neighbours averaged by the weighted-nearest-neighbour method (default 2 × dimensions). */
  neighbours_to_use?: number;
  /** RegularGridInterpolator: throw for positions outside the grid. */
  bounds_error?: boolean;
  /** RegularGridInterpolator: value outside the grid instead of extrapolating. */
  fill_value?: number | null;
  [other: string]: unknown;
}

interface NdArray {
  data: Float64Array;
  shape: number[];
}

/** A nested JSON list (null = NaN) as a flat float64 array with its shape. */
function toNdArray(x: unknown, what: string): NdArray {
  const shape: number[] = [];
  let probe: unknown = x;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const total = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(total);
  let at = 0;
  const walk = (v: unknown, depth: number) => {
    if (depth === shape.length) {
      if (Array.isArray(v)) throw new Error(`map '${what}' is not a rectangular array`);
      data[at++] = v === null ? NaN : Number(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth])
      throw new Error(`map '${what}' is not a rectangular array`);
    for (const e of v) walk(e, depth + 1);
  };
  walk(x, 0);
  return { data, shape };
}

type Evaluator = (positions: readonly ArrayLike<number>[], n: number, out: Float64Array) => void;

interface NamedMap {
  width: number;
  evaluate: Evaluator;
}

export class InterpolatingMap implements DetectorMap {
  readonly dimensions: number;
  readonly mapNames: readonly string[];
  readonly method: string;
  readonly description: string;
  private coordinates: Float64Array;
  private readonly maps = new Map<string, NamedMap>();
  private readonly rawMaps: Record<string, NdArray> = {};
  private readonly rotated: boolean;

  constructor(data: unknown, method: string = DEFAULT_MAP_METHOD, options: MapOptions = {}) {
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new Error('interpolation map: expected a JSON object with coordinate_system and map');
    }
    const d = data as Record<string, unknown>;
    if ('compressed' in d)
      throw new Error(
        'interpolation map: compressed (pickled) maps are not supported; store the map as plain JSON',
      );
    if (!('coordinate_system' in d)) throw new Error('interpolation map: missing coordinate_system');
    this.method = method;
    this.description = typeof d.description === 'string' ? d.description : String(d.name ?? '');
    this.rotated = 'rotated' in d;
    const csys = d.coordinate_system;
    if (!Array.isArray(csys)) throw new Error('interpolation map: coordinate_system must be a list');
    if (csys.length === 0) {
      this.dimensions = 0;
      this.coordinates = new Float64Array(0);
    } else if (Array.isArray(csys[0]) && typeof csys[0][0] === 'string') {
      const axes = csys.map((spec) => {
        const [, range] = spec as [string, [number, number, number]];
        return linspace(Number(range[0]), Number(range[1]), Number(range[2]));
      });
      this.dimensions = axes.length;
      this.coordinates = gridPoints(axes);
    } else {
      const pts = toNdArray(csys, 'coordinate_system');
      if (pts.shape.length !== 2)
        throw new Error('interpolation map: coordinate_system points must be a list of coordinate lists');
      this.dimensions = pts.shape[1]!;
      this.coordinates = pts.data;
    }
    this.mapNames = Object.keys(d)
      .filter((k) => !METADATA_KEYS.has(k))
      .sort();
    for (const name of this.mapNames) {
      let arr = toNdArray(d[name], name);
      if (name === 'map' && 'quantized' in d) {
        // The quantum times the map as float32, all in float32.
        const q = Math.fround(Number(d.quantized));
        arr = { data: arr.data.map((v) => Math.fround(q * Math.fround(v))), shape: arr.shape };
      }
      this.rawMaps[name] = arr;
      this.maps.set(name, this.build(name, arr, method, options));
    }
  }

  private get nPoints(): number {
    return this.dimensions === 0 ? 0 : this.coordinates.length / this.dimensions;
  }

  private widthOf(arr: NdArray): number {
    const arrayValued =
      this.nPoints === arr.shape[0] ? arr.shape.length === 2 : arr.shape.length === this.dimensions + 1;
    return arrayValued ? arr.shape[arr.shape.length - 1]! : 1;
  }

  private build(name: string, arr: NdArray, method: string, options: MapOptions): NamedMap {
    if (this.dimensions === 0) {
      // Constant map: one value whatever the positions (straxen returns it as a length-1 array).
      const value = arr.data[0] ?? NaN;
      return { width: 1, evaluate: (_p, n, out) => out.fill(value, 0, n) };
    }
    const width = this.widthOf(arr);
    if (arr.data.length !== this.nPoints * width) {
      throw new Error(
        `interpolation map '${name}': ${arr.data.length / width} values for ${this.nPoints} points`,
      );
    }
    switch (method) {
      case 'WeightedNearestNeighbors':
        return this.nearestNeighbours(arr.data, width, options.neighbours_to_use);
      case 'RegularGridInterpolator':
        return this.regularGrid(name, arr.data, width, options);
      default:
        throw new Error(
          `interpolation method '${method}' is not supported (use WeightedNearestNeighbors or RegularGridInterpolator)`,
        );
    }
  }

  private nearestNeighbours(
    values: Float64Array,
    width: number,
    neighbours?: number,
    rotated = this.rotated,
  ): NamedMap {
    const tree = new KdTree(this.coordinates, this.dimensions);
    const k = neighbours === undefined ? 2 * this.dimensions : Number(neighbours);
    return {
      width,
      evaluate: (positions, n, out) => {
        let pos = positions;
        if (rotated) {
          if (positions.length !== 2) throw new Error('rotated interpolation maps take (x, y) positions');
          const [x, y] = positions as [ArrayLike<number>, ArrayLike<number>];
          if (x instanceof Float32Array && y instanceof Float32Array) {
            const rx = new Float32Array(n),
              ry = new Float32Array(n);
            rotatePerpWiresF32(x, y, rx, ry);
            pos = [rx, ry];
          } else {
            const rx = new Float64Array(n),
              ry = new Float64Array(n);
            rotatePerpWiresF64(x, y, rx, ry);
            pos = [rx, ry];
          }
        }
        inverseDistanceInterpolate(tree, values, width, k, pos, n, out);
      },
    };
  }

  private regularGrid(name: string, values: Float64Array, width: number, options: MapOptions): NamedMap {
    const d = this.dimensions;
    const axes = Array.from({ length: d }, (_, j) => uniqueCoordinates(this.coordinates, d, j));
    const expected = axes.reduce((a, ax) => a * ax.length, 1);
    if (expected !== this.nPoints)
      throw new Error(`interpolation map '${name}': points do not form a regular grid`);
    const fill = options.fill_value === undefined ? null : options.fill_value;
    const boundsError = options.bounds_error === true;
    return {
      width,
      evaluate: (positions, n, out) => {
        if (boundsError || fill !== null) {
          for (let i = 0; i < n; i++) {
            const outside = axes.some((ax, j) => {
              const x = Number(positions[j]![i]);
              return x < ax[0]! || x > ax[ax.length - 1]!;
            });
            if (outside && boundsError) throw new Error(`position ${i} is outside the grid of map '${name}'`);
          }
        }
        regularGridInterpolate(axes, values, width, positions, n, out);
        if (fill !== null) {
          for (let i = 0; i < n; i++) {
            const outside = axes.some((ax, j) => {
              const x = Number(positions[j]![i]);
              return x < ax[0]! || x > ax[ax.length - 1]!;
            });
            if (outside) out.fill(Number(fill), i * width, (i + 1) * width);
          }
        }
      },
    };
  }

  /** A short description for output metadata (the map values themselves are not recorded). */
  toJSON(): Record<string, unknown> {
    return {
      itp_map: this.description,
      method: this.method,
      dimensions: this.dimensions,
      map_names: [...this.mapNames],
    };
  }

  /** Numbers per position that map `mapName` returns (1 unless it is vector-valued). */
  width(mapName = 'map'): number {
    return this.named(mapName).width;
  }

  private named(mapName: string): NamedMap {
    const m = this.maps.get(mapName);
    if (!m)
      throw new Error(`interpolation map has no map named '${mapName}' (has: ${this.mapNames.join(', ')})`);
    return m;
  }

  /**
   * Values at the positions: positions[j] holds coordinate j of every point (x, y, z, ...).
   * Returns n × width numbers (n = length of the first coordinate array; a constant map
   * repeats its value n times).
   */
  evaluate(positions: readonly ArrayLike<number>[], mapName = 'map'): Float64Array {
    const m = this.named(mapName);
    const n = positions.length === 0 ? 1 : positions[0]!.length;
    if (this.dimensions !== 0 && positions.length !== this.dimensions) {
      throw new Error(`map has ${this.dimensions} dimensions but ${positions.length} coordinates were given`);
    }
    const out = new Float64Array(n * m.width);
    m.evaluate(positions, n, out);
    return out;
  }

  /**
   * Multiply every map point's coordinates by a factor (one number, or one per dimension) and
   * rebuild map "map" as a weighted-nearest-neighbour map, as straxen does. No-op when constant.
   */
  scaleCoordinates(factor: number | readonly number[]): void {
    if (this.dimensions === 0) return;
    const f = typeof factor === 'number' ? new Array<number>(this.dimensions).fill(factor) : [...factor];
    if (f.length !== this.dimensions) {
      throw new Error(`scaling factor has ${f.length} entries but the map has ${this.dimensions} dimensions`);
    }
    const scaled = new Float64Array(this.coordinates.length);
    for (let i = 0; i < scaled.length; i++) scaled[i] = this.coordinates[i]! * f[i % this.dimensions]!;
    this.coordinates = scaled;
    const arr = this.rawMaps.map;
    if (!arr) throw new Error("interpolation map has no map named 'map' to rescale");
    this.maps.set('map', this.nearestNeighbours(arr.data, this.widthOf(arr), undefined, false));
  }
}
