// Which run a straxer job processes (RUN_ID, or line N of --run_list for batch job arrays), and
// the JSON arguments it was given.

import { readFileSync } from 'node:fs';
import { parseConfigText } from '../../config/config-file.js';
import { StraxerUsageError } from './errors.js';

/** XENONnT run ids are 6-digit zero-padded numbers; other ids pass unchanged. */
export function normalizeRunId(id: string): string {
  const t = id.trim();
  if (t === '') throw new StraxerUsageError('the run id is empty');
  if (!/^[A-Za-z0-9_]+$/.test(t))
    throw new StraxerUsageError(`run id '${t}' may only hold letters, digits and '_'`);
  return /^\d{1,5}$/.test(t) ? t.padStart(6, '0') : t;
}

/** Run ids of a run list: one a line; blank lines and '#' comments skipped. */
export function readRunList(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new StraxerUsageError(`--run_list ${file}: cannot read the file`);
  }
  return text
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l !== '');
}

export function selectRun(
  o: { runId?: string; runList?: string; index?: number },
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (o.runList === undefined) {
    if (o.index !== undefined) throw new StraxerUsageError('--index needs --run_list FILE');
    if (o.runId === undefined) throw new StraxerUsageError('give a RUN_ID (or --run_list FILE --index N)');
    return normalizeRunId(o.runId);
  }
  if (o.runId !== undefined) throw new StraxerUsageError('give either RUN_ID or --run_list, not both');
  const runs = readRunList(o.runList);
  let index = o.index;
  if (index === undefined) {
    const fromEnv = env.SLURM_ARRAY_TASK_ID;
    if (fromEnv === undefined || !/^\d+$/.test(fromEnv))
      throw new StraxerUsageError('--run_list needs --index N (or $SLURM_ARRAY_TASK_ID)');
    index = Number(fromEnv);
  }
  if (index >= runs.length)
    throw new StraxerUsageError(
      `--index ${index} is past the end of ${o.runList} (${runs.length} runs; the index counts from 0)`,
    );
  return normalizeRunId(runs[index]!);
}

/** A JSON object argument (--context_kwargs). */
export function parseJsonObject(text: string, option: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new StraxerUsageError(
      `${option}: not valid JSON (${(e as Error).message}); give a JSON object, e.g. '{"key": 1}'`,
    );
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new StraxerUsageError(`${option}: give a JSON object, e.g. '{"key": 1}'`);
  return v as Record<string, unknown>;
}

/** Plugin options as JSON (--config_kwargs): float-ness kept (28.0 and 28 hash differently). */
export function parseConfigKwargs(text: string): Record<string, unknown> {
  parseJsonObject(text, '--config_kwargs');
  try {
    return parseConfigText(text, '--config_kwargs');
  } catch (e) {
    throw new StraxerUsageError((e as Error).message);
  }
}

const CONTEXT_KWARGS: Record<string, [string, 'string' | 'boolean']> = {
  output_folder: ['outputFolder', 'string'],
  config_file: ['configFile', 'string'],
  corrections_file: ['correctionsFile', 'string'],
  version: ['version', 'string'],
  we_are_the_daq: ['weAreTheDaq', 'boolean'],
};

/** strax context options that straxen's contexts pass on from their keyword arguments. */
const CONTEXT_OPTION_KWARGS: Record<string, (v: unknown) => boolean> = {
  allow_rechunk: (v) => typeof v === 'boolean',
  save_buffer_mb: (v) => typeof v === 'number' && v > 0,
};
const CONTEXT_OPTION_TYPES: Record<string, string> = {
  allow_rechunk: 'boolean',
  save_buffer_mb: 'positive number',
};

/** --context_kwargs (straxen's snake_case names) as context arguments (context options apart). */
export function contextArgsFrom(kw: Record<string, unknown>): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(kw)) {
    if (k in CONTEXT_OPTION_KWARGS) continue;
    const spec = CONTEXT_KWARGS[k];
    const known = [...Object.keys(CONTEXT_KWARGS), ...Object.keys(CONTEXT_OPTION_KWARGS)];
    if (!spec)
      throw new StraxerUsageError(`--context_kwargs: unknown argument '${k}' (known: ${known.join(', ')})`);
    if (typeof v !== spec[1]) throw new StraxerUsageError(`--context_kwargs: '${k}' must be a ${spec[1]}`);
    out[spec[0]] = v as string | boolean;
  }
  return out;
}

/** The strax context options among --context_kwargs (e.g. save_buffer_mb), types checked. */
export function contextOptionsFrom(kw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(kw)) {
    const ok = CONTEXT_OPTION_KWARGS[k];
    if (!ok) continue;
    if (!ok(v)) throw new StraxerUsageError(`--context_kwargs: '${k}' must be a ${CONTEXT_OPTION_TYPES[k]}`);
    out[k] = v;
  }
  return out;
}
