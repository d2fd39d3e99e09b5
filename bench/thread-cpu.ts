// Preloaded into a benchmarked process (node --import): at exit, one line on stderr with the CPU
// seconds of the main thread and of all other threads (worker threads, V8's compiler and garbage
// collector helpers, libuv's pool), read from Linux's per-thread accounting.

import { readdirSync, readFileSync, writeSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

/** user + system seconds of one thread, from /proc/self/task/TID/stat. */
function threadSeconds(tid: string): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (100 per second)
}

if (isMainThread) {
  process.on('exit', () => {
    let main = 0,
      other = 0,
      threads = 0;
    try {
      for (const tid of readdirSync('/proc/self/task')) {
        const s = threadSeconds(tid);
        threads++;
        if (Number(tid) === process.pid) main = s;
        else other += s;
      }
    } catch {
      return; // not Linux: no line
    }
    writeSync(2, `THREADCPU main ${main.toFixed(2)} other ${other.toFixed(2)} threads ${threads}\n`);
  });
}
