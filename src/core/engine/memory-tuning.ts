// How a processing process is started so that its peak memory does not grow with the run's length.
// A chain allocates and drops typed arrays of a few MB every chunk, thousands of times in a run:
// - glibc's malloc raises its mmap threshold to the largest block freed so far, after which those
//   blocks come from the heap and leave holes it cannot give back: resident memory crept ~1 MB
//   every 30 chunks. A fixed threshold keeps chunk-sized blocks mmapped (returned when freed),
//   and two arenas stop each thread from keeping its own holes.
// - Below that threshold, glibc gives the free top of its heap back to the system as soon as it
//   exceeds 128 kB, and the next chunk's columns fault the same pages in again, zero-filled by
//   the kernel. Keeping up to 32 MB there halved the page faults and the system time (10-minute
//   run: 2.1M → 0.5-0.9M faults, 6-7 → 3-4 s system CPU; bench000333 ~4 % faster) for ~20 MB
//   more peak RSS, still flat with the run's length.
// - Dropped typed arrays free their memory only when the generation holding them is collected; a
//   small young generation is collected more often, before dropped buffers pile up. Those that
//   outlived two young collections wait for a full one, which V8 starts once ~64 MB of them have
//   piled up (its external-memory limit; measured on 10- and 30-minute runs).
// The environment must be set before the process starts (glibc reads it once), so it is in the
// command line of every way a processing process is started: the tools' `#!` lines (checked by a
// test against nodeShebang()), bootstrax's processing child, batch jobs and the benchmarks.

export const MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: String(4 * 1024 * 1024),
  MALLOC_TRIM_THRESHOLD_: String(32 * 1024 * 1024),
};

/** Flags of the node process itself (V8 reads the young generation's size at start only). */
export const NODE_MEMORY_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

/** The same young generation for worker threads (V8's young generation is three semi-spaces). */
export const WORKER_YOUNG_GENERATION_MB = 12;

/** The `#!` line of a tool: the environment and flags above, then node from PATH. */
export function nodeShebang(): string {
  const env = Object.entries(MALLOC_ENV).map(([k, v]) => `${k}=${v}`);
  return `#!/usr/bin/env -S ${[...env, 'node', ...NODE_MEMORY_FLAGS].join(' ')}`;
}

/** Environment for a child node process: the caller's with MALLOC_ENV (its own values win). */
export function processingEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...MALLOC_ENV, ...base };
}
