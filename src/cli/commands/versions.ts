// straxts versions [PACKAGES...]: host, Node, straxts and its key packages (straxen_print_versions).

import type { Command } from 'commander';
import { versionRows } from '../../named-contexts/versions.js';
import { formatTable } from '../table.js';

export function register(program: Command): void {
  program
    .command('versions')
    .description('print the host, Node, straxts and its key packages with versions, paths and git commits')
    .argument('[packages...]', 'npm packages to list (default: the ones straxts relies on most)')
    .action((packages: string[]) => {
      const { host, rows, missing } = versionRows(packages.length ? packages : undefined);
      const out = [`Host ${host}`];
      for (const m of missing) out.push(`${m} is not installed`);
      out.push(
        formatTable(
          ['module', 'version', 'path', 'git'],
          rows.map((r) => [r.module, r.version, r.path, r.git ?? 'None']),
        ),
      );
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
