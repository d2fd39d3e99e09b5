// straxts compare DIR_A DIR_B RUN TYPE: do two stored copies of a data type agree, field by
// field (integers exactly, floats within --rtol)? Exit 0 when they agree, 1 when not.

import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { compareRecords, formatAgreement } from '../../core/compare.js';
import { loadAllWithMetadata } from '../../storage/load-all.js';
import { UserError } from '../user-error.js';

interface CompareOpts {
  rtol: string;
  atol: string;
  hashA?: string;
  hashB?: string;
  fields?: string[];
  all?: boolean;
}

function tolerance(text: string, what: string): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x) || x < 0)
    throw new UserError(`${what} must be a non-negative number, got '${text}'`);
  return x;
}

export function register(program: Command): void {
  program
    .command('compare')
    .description(
      'compare one data type of a run in two data directories, field by field (exit 0 agree, 1 differ)',
    )
    .argument('<dir_a>', 'first data directory')
    .argument('<dir_b>', 'second data directory')
    .argument('<run>', 'run id')
    .argument('<type>', 'data type')
    .option('--rtol <x>', 'relative tolerance for floats', '1e-6')
    .option('--atol <x>', 'absolute tolerance for floats near zero', '0')
    .option('--hash-a <hash>', 'lineage hash in DIR_A (when several are stored)')
    .option('--hash-b <hash>', 'lineage hash in DIR_B (when several are stored)')
    .option('--fields <names...>', 'only these fields')
    .option('--all', 'list every field, not only those that differ')
    .action(async (dirA: string, dirB: string, run: string, type: string, opts: CompareOpts) => {
      for (const d of [dirA, dirB]) if (!existsSync(d)) throw new UserError(`no such directory: ${d}`);
      const rtol = tolerance(opts.rtol, '--rtol'),
        atol = tolerance(opts.atol, '--atol');
      const a = await loadAllWithMetadata(dirA, run, type, opts.hashA ? { hash: opts.hashA } : {});
      const b = await loadAllWithMetadata(dirB, run, type, opts.hashB ? { hash: opts.hashB } : {});
      for (const f of opts.fields ?? []) {
        if (!a.records.dtype.names.includes(f) || !b.records.dtype.names.includes(f))
          throw new UserError(`field '${f}' is not in both copies of ${type}`);
      }
      const ag = compareRecords(a.records, b.records, {
        rtol,
        atol,
        ...(opts.fields ? { fields: opts.fields } : {}),
      });
      const sameHash = a.key.lineageHash === b.key.lineageHash;
      const [verdict, ...rest] = formatAgreement(ag, { all: opts.all ?? false }).split('\n');
      const lines = [
        verdict!,
        `${type} of run ${run}: A ${dirA} (${a.key.lineageHash}), B ${dirB} (${b.key.lineageHash})${sameHash ? '' : '  (lineage hashes differ)'}`,
        ...rest,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      process.exitCode = ag.ok ? 0 : 1;
    });
}
