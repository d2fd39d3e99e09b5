// The live_data layout redax writes for one run, as names: main chunk folders `%06d`, the
// overlap after chunk i as `%06d_post` and, identical, before chunk i+1 as `%06d_pre`, and
// `THE_END` once the run is over. Every folder holds one file per readout-thread file,
// `<thread name>_<k>` with k below the thread's count in the run's processing_threads.
// Folders appear whole: they are written as NAME_temp and renamed.
//
// Shared by the DAQReader (here, beside the plugin) and the live_data writer (src/daq/live-data).

/** Bad or inconsistent live_data: the message names the folder (or file) and what is wrong. */
export class LiveDataError extends Error {}

/** processing_threads of a run: readout-thread name → number of files it writes per folder. */
export type ReadoutThreads = Readonly<Record<string, number>>;

export const END_FOLDER = 'THE_END';
export const TEMP_SUFFIX = '_temp';

export const mainFolder = (chunkI: number): string => String(chunkI).padStart(6, '0');
export const preFolder = (chunkI: number): string => `${mainFolder(chunkI)}_pre`;
export const postFolder = (chunkI: number): string => `${mainFolder(chunkI)}_post`;

/** File `k` of readout thread `thread`. */
export const threadFileName = (thread: string, k: number): string => `${thread}_${k}`;

/** The readout thread that wrote a file: its name without the last `_` field. */
export function threadOfFile(file: string): string {
  const i = file.lastIndexOf('_');
  return i < 0 ? '' : file.slice(0, i);
}

/** Every file name a complete folder holds, thread by thread in the order of `threads`. */
export function threadFileNames(threads: ReadoutThreads): string[] {
  const out: string[] = [];
  for (const [name, n] of Object.entries(threads))
    for (let k = 0; k < n; k++) out.push(threadFileName(name, k));
  return out;
}

/** Files a complete folder holds (the sum of the thread counts). */
export function filesPerFolder(threads: ReadoutThreads): number {
  let n = 0;
  for (const v of Object.values(threads)) n += v;
  return n;
}

/**
 * Number of thread files in a folder, after checking each belongs to a known readout thread
 * and no thread wrote more files than it has (both mean the folder is not this run's data).
 */
export function countThreadFiles(where: string, files: readonly string[], threads: ReadoutThreads): number {
  const perThread = new Map<string, number>();
  for (const f of files) {
    const t = threadOfFile(f);
    if (!Object.prototype.hasOwnProperty.call(threads, t)) {
      const known = Object.keys(threads).join(', ');
      throw new LiveDataError(
        `Bad data from DAQ in ${where}: file '${f}' is from readout thread '${t}', which is not in readout_threads (${known})`,
      );
    }
    perThread.set(t, (perThread.get(t) ?? 0) + 1);
  }
  for (const [t, n] of perThread) {
    if (n > threads[t]!)
      throw new LiveDataError(
        `Bad data from DAQ in ${where}: readout thread '${t}' wrote ${n} files, but readout_threads gives it ${threads[t]}`,
      );
  }
  return files.length;
}

/** Chunk windows in ns since the run start (C: main chunk duration, O: overlap duration). */
export interface ChunkWindows {
  chunkDuration: number;
  overlapDuration: number;
}

/** Main chunk i covers [i(C+O), i(C+O)+C); the overlap after it runs to (i+1)(C+O). */
export function mainWindow(w: ChunkWindows, chunkI: number): [number, number] {
  const start = chunkI * (w.chunkDuration + w.overlapDuration);
  return [start, start + w.chunkDuration];
}
