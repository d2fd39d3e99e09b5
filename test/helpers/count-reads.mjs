// Preloaded into a CLI under test (node --import): counts the raw_records chunk files the process
// reads, and writes the count to $STRAXTS_COUNT_READS at exit. Independent of what the tool says.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import process from 'node:process';
import { isMainThread } from 'node:worker_threads';

let n = 0;
const counted = (p) => /-raw_records-[a-z0-9]{10}(_temp)?[/\\][^/\\]*-\d{6}$/.test(String(p));
const original = fsp.readFile;
fsp.readFile = function (p, ...rest) {
  if (counted(p)) n++;
  return original.call(this, p, ...rest);
};
syncBuiltinESMExports();
process.on('exit', () => {
  if (isMainThread && process.env.STRAXTS_COUNT_READS)
    fs.writeFileSync(process.env.STRAXTS_COUNT_READS, `${n}\n`);
});
