// Preloaded into a child process (node --import) by peak-rss.ts: at exit, writes the process's
// peak resident set size (VmHWM, kB) to the file named by STRAXTS_PEAK_RSS_FILE.
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';

const out = process.env.STRAXTS_PEAK_RSS_FILE;
if (out) {
  process.on('exit', () => {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    writeFileSync(out, m ? m[1] : '');
  });
}
