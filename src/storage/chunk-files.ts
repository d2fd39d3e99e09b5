// The cheap check of a data folder against its metadata: every chunk file there, with the size
// recorded when it was written (what `straxts ls` shows; `straxts verify` also decodes them).

import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { DataMetadata } from './metadata.js';

/** The first chunk file that is missing or has another size than recorded, said in words. */
export function chunkFileProblem(dir: string, md: DataMetadata): string | null {
  for (const c of md.chunks) {
    if (c.n === 0 || c.filename === undefined) continue;
    let size: number;
    try {
      size = statSync(join(dir, c.filename)).size;
    } catch {
      return `chunk file ${c.filename} is missing`;
    }
    if (c.filesize !== undefined && size !== c.filesize)
      return `chunk file ${c.filename} has ${size} bytes, the metadata says ${c.filesize}`;
  }
  return null;
}
