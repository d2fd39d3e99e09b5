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

/** An option's resolved map, or one clear line saying what is wrong. */
export function detectorMapOption(
  plugin: { className: string; config: Record<string, unknown> },
  name: string,
): DetectorMap {
  const v = plugin.config[name];
  if (isDetectorMap(v)) return v;
  if (typeof v === 'string') {
    throw new Error(
      `${plugin.className}: option ${name} is still '${v}'; the context must resolve it to a map (e.g. itp_map://resource://FILE.json?fmt=json) before processing`,
    );
  }
  throw new Error(
    `${plugin.className}: option ${name} must be an interpolation map, got ${v === null ? 'null' : typeof v}`,
  );
}
