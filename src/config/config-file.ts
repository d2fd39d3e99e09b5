// straxen configuration files: a JSON object of option name → value, such as the
// RUN-config.json beside the reference data. Numbers keep their Python float-ness (28 vs 28.0
// changes the lineage hash), URL values are normalised as straxen's URLConfig does before
// hashing, and the file's folder is remembered: resource:// names are looked up there first.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pyJsonParse } from '../core/python/json.js';
import { normalizeOptionValue } from './url-syntax.js';

export interface LoadedConfig {
  /** Absolute path of the file. */
  path: string;
  /** Folder of the file (first place resource:// looks). */
  folder: string;
  /** Option values, URLs normalised, floats as PyFloat. */
  config: Record<string, unknown>;
  /** Folders for resource:// lookups: the file's folder, then the working directory. */
  searchDirs: string[];
}

/** Normalise every URL value of a config (query keys sorted, values as Python spells them). */
export function normalizeConfig(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) out[k] = normalizeOptionValue(v, k);
  return out;
}

/** Parse config JSON text; `what` names it in errors. */
export function parseConfigText(text: string, what: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = pyJsonParse(text, what);
  } catch (e) {
    throw new Error(`${(e as Error).message}: fix the JSON syntax`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error(`${what}: a config file must hold a JSON object of option name → value`);
  }
  return normalizeConfig(data as Record<string, unknown>);
}

export function loadConfigFile(path: string, cwd: string = process.cwd()): LoadedConfig {
  const abs = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch {
    throw new Error(`config file ${abs} cannot be read: check the path`);
  }
  const folder = dirname(abs);
  const searchDirs = folder === resolve(cwd) ? [folder] : [folder, resolve(cwd)];
  return { path: abs, folder, config: parseConfigText(text, `config file ${abs}`), searchDirs };
}
