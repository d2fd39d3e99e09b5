// --register_from_file: a JS module whose exported plugin classes are registered (straxen
// imports a .py file and registers everything in it).

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PluginClass } from '../../core/plugin.js';
import { StraxerUsageError } from './errors.js';

/** A class whose instances look like plugins (the module may hold its own copy of Plugin). */
function isPluginClass(v: unknown): v is PluginClass {
  if (typeof v !== 'function' || !v.prototype) return false;
  const proto = v.prototype as Record<string, unknown>;
  if (typeof proto.compute !== 'function' || typeof proto.inferDtype !== 'function') return false;
  try {
    const provides = (new (v as PluginClass)() as { provides?: unknown }).provides;
    return Array.isArray(provides) && provides.length > 0;
  } catch {
    return false;
  }
}

export async function loadPluginFile(file: string): Promise<PluginClass[]> {
  const abs = resolve(file);
  if (!existsSync(abs)) throw new StraxerUsageError(`--register_from_file ${file}: no such file`);
  if (!/\.(m?js|cjs)$/.test(abs))
    throw new StraxerUsageError(
      `--register_from_file ${file}: give a JavaScript module (.js or .mjs; compile TypeScript first)`,
    );
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (e) {
    throw new StraxerUsageError(
      `--register_from_file ${file}: cannot import it (${(e as Error).message.split('\n')[0]})`,
    );
  }
  const classes = Object.values(mod).filter(isPluginClass);
  if (classes.length === 0)
    throw new StraxerUsageError(`--register_from_file ${file}: it exports no plugin classes`);
  return classes;
}
