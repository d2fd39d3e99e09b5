// straxts summary DIR RUN: the physics summary straxer prints at its end, for stored data.

import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
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
        const found = dd
          .keysFor(run, type)
          .map((k) => ({ key: k, at: dd.find(k) }))
          .filter((f) => f.at !== null)
          .map((f) => ({ key: f.key, written: statSync(f.at!.dir).mtimeMs }))
          .sort((a, b) => b.written - a.written);
        if (found.length === 0) return null;
        // Reprocessing with other options leaves several lineages: summarise the newest, and say so.
        if (found.length > 1)
          process.stderr.write(
            `${found.length} lineages of ${type} (${found.map((f) => f.key.lineageHash).join(', ')}); ` +
              `using the newest, ${found[0]!.key.lineageHash}\n`,
          );
        const { records, metadata } = await loadAllWithMetadata(path, run, type, {
          hash: found[0]!.key.lineageHash,
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
