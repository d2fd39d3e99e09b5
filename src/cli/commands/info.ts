// straxts info DIR RUN TYPE: a stored data type's fields and metadata.

import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { DataDirectory } from '../../storage/data-directory.js';
import { resolveKey } from '../../storage/load-all.js';
import { formatBytes, formatTable } from '../table.js';
import { UserError } from '../user-error.js';
import { pyJsonDumps } from '../../core/python/json.js';

export function register(program: Command): void {
  program
    .command('info')
    .description('show the dtype and metadata of one stored data type')
    .argument('<dir>', 'data directory')
    .argument('<run>', 'run id, e.g. 012100')
    .argument('<type>', 'data type, e.g. peaks')
    .option('--hash <hash>', 'lineage hash (when several are stored)')
    .option('--options', 'also print every plugin option of the lineage')
    .action((path: string, run: string, type: string, opts: { hash?: string; options?: boolean }) => {
      if (!existsSync(path)) throw new UserError(`no such directory: ${path}`);
      const dd = new DataDirectory(path, { readonly: true });
      const key = resolveKey(dd, run, type, opts.hash);
      const md = dd.metadata(key, { allowIncomplete: true });
      const out: string[] = [];
      out.push(
        `${run}-${type}-${key.lineageHash}  (${md.dataKind}, ${md.compressor}, ${md.writingEnded ? 'complete' : 'INCOMPLETE'})`,
      );
      const rows = md.chunks.reduce((s, c) => s + c.n, 0);
      const bytes = md.chunks.reduce((s, c) => s + c.nbytes, 0);
      const disk = md.chunks.reduce((s, c) => s + (c.filesize ?? 0), 0);
      if (md.start !== undefined && md.end !== undefined) {
        out.push(`time span: ${md.start} – ${md.end} ns (${(Number(md.end - md.start) / 1e9).toFixed(3)} s)`);
      }
      out.push(
        `chunks: ${md.chunks.length}, rows: ${rows}, ${formatBytes(bytes)} uncompressed, ${formatBytes(disk)} on disk, target ${md.chunkTargetSizeMb} MB per chunk`,
      );
      out.push(`row size: ${md.dtype.itemsize} bytes`);
      out.push('');
      const fields = md.dtype.fields.filter((f) => f.name !== '');
      out.push(
        formatTable(
          ['field', 'type', 'shape', 'description'],
          fields.map((f) => [f.name, f.type, f.shape.length ? `(${f.shape.join(', ')})` : '', f.title ?? '']),
        ),
      );
      out.push('');
      out.push('lineage:');
      for (const [dt, [cls, version, options]] of Object.entries(md.lineage)) {
        out.push(
          `  ${dt}: ${cls} ${version}${opts.options ? ` ${pyJsonDumps(options, { sortKeys: true })}` : ` (${Object.keys(options).length} options)`}`,
        );
      }
      process.stdout.write(out.join('\n') + '\n');
    });
}
