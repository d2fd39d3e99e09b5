// Durations as people type them on the command line: 10s, 500ms, 2m, 1.5h (plain numbers: s).

export class DurationSyntaxError extends Error {}

const UNITS: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, min: 60e9, h: 3600e9 };

/** A positive duration in ns. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ns|us|ms|s|m|min|h)?$/.exec(text.trim());
  if (!m) throw new DurationSyntaxError(`cannot read duration '${text}'; write e.g. 10s, 500ms or 2m`);
  const ns = Number(m[1]) * UNITS[m[2] ?? 's']!;
  if (!(ns > 0)) throw new DurationSyntaxError(`duration must be positive, got '${text}'`);
  return ns;
}
