// The one way tests run the built CLIs (dist/src/cli/*.js) as child processes, building first
// when the build is missing or stale.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every tool of package.json's bin. Written out, not read off the source tree: a new tool is
 * added here by hand (and the memory-settings test checks package.json has exactly these). */
export const TOOLS = [
  'straxts',
  'straxer',
  'bootstrax',
  'ajax',
  'fake_daq',
  'microstrax',
  'refresh_raw_records',
  'restrax',
] as const;

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Build with tsc unless dist is newer than every source file (type errors elsewhere do not stop emitting). */
export function ensureBuilt(): void {
  const out = join(ROOT, 'dist', 'src', 'cli', 'straxts.js');
  if (existsSync(out) && statSync(out).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  try {
    execFileSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'pipe' });
  } catch {
    // tsc still emits when some other file has type errors; the CLI tests below show whether it works.
  }
  if (!existsSync(out)) throw new Error('build failed: dist/src/cli/straxts.js missing');
}

export interface ToolRun {
  /** Exit code, or null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time of the process [s]. */
  seconds: number;
}

export interface StartedTool {
  child: ChildProcess;
  /** Settles when the process has exited and its output is closed. */
  done: Promise<ToolRun>;
  /** What it wrote to stdout so far. */
  stdout(): string;
  /** What it wrote to stdout and stderr so far, in the order it arrived. */
  output(): string;
}

export interface ToolExtras {
  /** Added to the environment (after the runs-database and debug switches are blanked). */
  env?: NodeJS.ProcessEnv;
  /** Written to the tool's stdin, which is then closed (default: no stdin, /dev/null). */
  stdin?: string;
  /** Node options before the script (e.g. --import a preload). */
  nodeArgs?: readonly string[];
}

/** Start a built tool (dist/src/cli/TOOL.js) in cwd, without blocking the test worker. A runs
 * database or debug switch from the test runner's environment does not leak in. */
export function startTool(
  tool: string,
  args: readonly string[],
  cwd: string = ROOT,
  { env = {}, stdin, nodeArgs = [] }: ToolExtras = {},
): StartedTool {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [...nodeArgs, join(ROOT, 'dist', 'src', 'cli', `${tool}.js`), ...args],
    {
      cwd,
      env: { ...process.env, STRAXTS_RUNDB: '', STRAXTS_DEBUG: '', ...env },
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    },
  );
  if (stdin !== undefined) {
    child.stdin!.on('error', () => {}); // a tool that exits without reading its input
    child.stdin!.end(stdin);
  }
  let stdout = '',
    stderr = '',
    output = '';
  child.stdout!.on('data', (b: Buffer) => {
    stdout += b.toString();
    output += b.toString();
  });
  child.stderr!.on('data', (b: Buffer) => {
    stderr += b.toString();
    output += b.toString();
  });
  const done = new Promise<ToolRun>((res) =>
    child.on('close', (code, signal) =>
      res({ code, signal, stdout, stderr, seconds: (performance.now() - t0) / 1000 }),
    ),
  );
  return { child, done, stdout: () => stdout, output: () => output };
}

/** Run a built tool to its end (see startTool). */
export function runTool(
  tool: string,
  args: readonly string[],
  cwd: string = ROOT,
  extras: ToolExtras = {},
): Promise<ToolRun> {
  return startTool(tool, args, cwd, extras).done;
}
