// straxts summary DIR RUN: the physics summary straxer prints at its end, for stored data.

import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { formatPhysicsSummary, physicsSummary } from '../run-summary.js';
import type { Records } from '../../core/records.js';
import { DataDirectory } from '../../storage/data-directory.js';
import { loadAllWithMetadata } from '../../storage/load-all.js';
import { UserError } from '../user-error.js';

export function register(program: Command): void {
  program
    .command('summary')
    .description(
      'events and their rate, S1/S2 counts, cS1/cS2 and drift-time ranges, dead time of a stored run',
    )
    .argument('<dir>', 'data directory')
    .argument('<run>', 'run id, e.g. 000001')
    .action(async (path: string, run: string) => {
      if (!existsSync(path)) throw new UserError(`no such directory: ${path}`);
      const dd = new DataDirectory(path, { readonly: true });
      let seconds: number | null = null;
      const load = async (type: string): Promise<Records | null> => {
        const keys = dd.keysFor(run, type).filter((k) => dd.find(k) !== null);
        if (keys.length === 0) return null;
        if (keys.length > 1)
          throw new UserError(
            `several ${type} of run ${run} in ${path} (hashes ${keys.map((k) => k.lineageHash).join(', ')}); ` +
              'the summary needs one: move the others to another folder',
          );
        const { records, metadata } = await loadAllWithMetadata(path, run, type, {
          hash: keys[0]!.lineageHash,
        });
        if (seconds === null && metadata.start !== undefined && metadata.end !== undefined)
          seconds = Number(metadata.end - metadata.start) / 1e9;
        return records;
      };
      const phys = await physicsSummary(run, load, null);
      phys.seconds = seconds;
      if (phys.events === null && phys.s1Peaks === null && dd.keysFor(run, 'raw_records').length === 0)
        throw new UserError(`no data of run ${run} in ${path}`);
      process.stdout.write(formatPhysicsSummary(phys).join('\n') + '\n');
    });
}
