// Input synchronisation, as strax Plugin.iter: pull chunks of every dependency, cut them at
// common time boundaries set by the pacemaker (the input whose first chunk ends first), carry
// leftovers to the next batch, and merge same-kind inputs column-wise.

import { Chunk } from '../chunk.js';
import { SaveWhen, type Plugin } from '../plugin.js';
import { InputTimeoutExceeded } from './errors.js';
import { mergeChunks } from './merge.js';
import { unpinned } from './unpinned.js';

export interface InputBatch {
  chunkI: number;
  /** One merged chunk per data kind (empty for a source plugin). */
  inputs: Map<string, Chunk>;
}

/** Dependencies grouped by data kind, kinds in order of first appearance in dependsOn. */
export function dependenciesByKind(
  dependsOn: readonly string[],
  kindOf: (d: string) => string,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of dependsOn) {
    const k = kindOf(d);
    if (!out.has(k)) out.set(k, []);
    out.get(k)!.push(d);
  }
  return out;
}

/** a then b (b starts at or after a's end). An empty a only extends b's range: no row copy. */
function append(a: Chunk | null, b: Chunk): Chunk {
  if (!a) return b;
  if (a.length === 0 && a.start <= b.start && a.end <= b.start)
    return a.start === b.start ? b : b.with({ start: a.start });
  if (b.length === 0 && b.start >= a.end) return b.end === a.end ? a : a.with({ end: b.end });
  return Chunk.concatenate([a, b]);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function synchronise(
  plugin: Plugin,
  iters: Readonly<Record<string, AsyncIterator<Chunk>>>,
  kindOf: (d: string) => string,
): AsyncGenerator<InputBatch> {
  const deps = plugin.dependsOn;
  const name = plugin.className;
  const buffer = new Map<string, Chunk | null>(deps.map((d) => [d, null]));
  const byKind = dependenciesByKind(deps, kindOf);

  const fetch = async (d: string, checkEndNotBefore?: bigint): Promise<boolean> => {
    const r = await iters[d]!.next();
    if (r.done) {
      const b = buffer.get(d);
      if (checkEndNotBefore !== undefined && (!b || b.end < checkEndNotBefore)) {
        throw new Error(
          `${name}: tried to get ${d} until ${checkEndNotBefore}, but it ended prematurely at ${b ? b.end : 'its start'}`,
        );
      }
      return false;
    }
    buffer.set(d, append(buffer.get(d) ?? null, r.value));
    return true;
  };

  // Source plugin: batches of nothing, paced by isReady/sourceFinished.
  if (deps.length === 0) {
    let chunkI = 0;
    let lastInput = Date.now();
    return unpinned(async () => {
      while (!(await plugin.isReady(chunkI))) {
        if (await plugin.sourceFinished()) return undefined;
        if (Date.now() > lastInput + plugin.inputTimeout * 1000) {
          throw new InputTimeoutExceeded(
            name,
            plugin.runId,
            chunkI,
            plugin.inputTimeout,
            plugin.waitingFor(chunkI),
          );
        }
        await sleep(Math.min(2000, plugin.inputTimeout * 100));
      }
      lastInput = Date.now();
      return { chunkI: chunkI++, inputs: new Map() };
    });
  }

  let pacemaker = '';
  let paceEnd: bigint | null = null;
  const start = async (): Promise<void> => {
    for (const d of deps) {
      await fetch(d);
      const b = buffer.get(d);
      if (!b) throw new Error(`${name}: input ${d} delivered no chunk at all`);
      if (paceEnd === null || b.end < paceEnd) {
        pacemaker = d;
        paceEnd = b.end;
      }
    }
  };

  // Every input must be exhausted at the end; leftovers only allowed for plugins not saved.
  const finish = async (): Promise<void> => {
    for (const d of deps) {
      if (await fetch(d)) throw new Error(`${name} terminated without fetching the last chunks of ${d}`);
    }
    if (plugin.maxSaveWhen() > SaveWhen.EXPLICIT) {
      for (const [d, b] of buffer) {
        if (b && b.length > 0)
          throw new Error(`${name} terminated with ${b.length} leftover rows of ${d} after ${b.start}`);
      }
    }
  };

  let chunkI = 0;
  // Batches are built here, outside the generator's frame (see unpinned.ts).
  const nextBatch = async (): Promise<InputBatch | undefined> => {
    if (chunkI === 0) await start();
    else if (!(await fetch(pacemaker))) {
      await finish();
      return undefined;
    }
    let thisEnd = buffer.get(pacemaker)!.end;
    const inputs = new Map<string, Chunk>();
    for (const d of deps) {
      if (d !== pacemaker) {
        while (buffer.get(d) === null || buffer.get(d)!.end < thisEnd) await fetch(d, thisEnd);
      }
      const [left, right] = buffer.get(d)!.split(thisEnd, true);
      inputs.set(d, left);
      buffer.set(d, right);
    }
    // Early splits may have cut some input short: cut the others there too.
    let passes = 10;
    for (;;) {
      const ends = [...inputs.values()].map((c) => c.end);
      for (const e of ends) if (e < thisEnd) thisEnd = e;
      if (ends.every((e) => e === ends[0])) break;
      if (passes-- === 0)
        throw new Error(`${name} was unable to get time-consistent inputs after ten passes`);
      for (const d of deps) {
        const [left, back] = inputs.get(d)!.split(thisEnd, true);
        inputs.set(d, left);
        buffer.set(d, append(back, buffer.get(d)!));
      }
    }
    const merged = new Map<string, Chunk>();
    for (const [kind, ds] of byKind)
      merged.set(
        kind,
        mergeChunks(
          ds.map((d) => inputs.get(d)!),
          ds.length === 1 ? ds[0]! : ds.join('+'),
        ),
      );
    return { chunkI: chunkI++, inputs: merged };
  };
  return unpinned(nextBatch);
}
