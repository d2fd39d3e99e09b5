// What a plugin needs of a detector map option once the context has resolved its URL (e.g.
// itp_map://...): values at positions. The interpolating maps of src/config implement it.

export interface DetectorMap {
  /** Names of the maps held (a map file may hold several, e.g. map_top and map_bottom). */
  readonly mapNames: readonly string[];
  /**
   * Values at n positions: positions[j] holds coordinate j of every position. Returns
   * n × width float64 values (a constant map repeats its value n times).
   */
  evaluate(positions: readonly ArrayLike<number>[], mapName?: string): Float64Array;
}

export function isDetectorMap(v: unknown): v is DetectorMap {
  return (
    !!v &&
    typeof v === 'object' &&
    typeof (v as DetectorMap).evaluate === 'function' &&
    Array.isArray((v as DetectorMap).mapNames)
  );
}

/** A resolved map option's value, or one clear line naming the option (`what`). */
export function checkDetectorMap(v: unknown, what: string): DetectorMap {
  if (isDetectorMap(v)) return v;
  throw new Error(
    `${what} must be an interpolation map (e.g. itp_map://resource://FILE.json?fmt=json), got ${v === null ? 'null' : typeof v}`,
  );
}
