// straxts settings NAME [JSON]: show or replace a DAQ tool's settings document in the runs
// database (restrax_config: restrax reads it before every search for work).

import type { Command } from 'commander';
import { RUNDB_ENV } from '../../rundb/names.js';
import { openRunDb, type JsonObject } from '../../rundb/rundb.js';
import { UserError } from '../user-error.js';

export function register(program: Command): void {
  program
    .command('settings')
    .description("show or replace a DAQ tool's settings document in the runs database (e.g. restrax_config)")
    .argument('<name>', 'document name, e.g. restrax_config')
    .argument('[json]', 'the new document, a JSON object (replaces the old one)')
    .option('--rundb <url>', `runs database (default: $${RUNDB_ENV})`)
    .action(async (name: string, json: string | undefined, o: { rundb?: string }) => {
      const url = o.rundb ?? process.env[RUNDB_ENV];
      if (!url) throw new UserError(`give the runs database: --rundb URL or ${RUNDB_ENV}`);
      let doc: JsonObject | undefined;
      if (json !== undefined) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(json);
        } catch (e) {
          throw new UserError(`cannot read the settings as JSON: ${(e as Error).message}`);
        }
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
          throw new UserError('the settings must be a JSON object, e.g. \'{"bypass_mode": true}\'');
        doc = { name, ...(parsed as JsonObject) };
      }
      const db = await openRunDb(url);
      try {
        if (doc) await db.putSettings(name, doc);
        const now = await db.getSettings(name);
        process.stdout.write(now ? `${JSON.stringify(now, null, 2)}\n` : `no ${name} in ${db.display}\n`);
      } finally {
        await db.close();
      }
    });
}
