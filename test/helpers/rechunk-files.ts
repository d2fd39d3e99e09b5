// The files a saver writes when it follows a Rechunker's steps, each joined into one chunk.
import { Chunk } from '../../src/core/chunk.js';
import type { FileStep } from '../../src/storage/rechunker.js';

export function filesOf(steps: readonly FileStep[]): Chunk[] {
  const out: Chunk[] = [];
  let cur: Chunk[] = [];
  for (const s of steps) {
    if ('rows' in s) cur.push(s.rows);
    else {
      out.push(Chunk.concatenate(cur));
      cur = [];
    }
  }
  if (cur.length) throw new Error(`${cur.length} pieces after the last file's end`);
  return out;
}
