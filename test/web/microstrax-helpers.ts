// microstrax as the tests run it: the built CLI as a child process on a free port of 127.0.0.1,
// serving the reference run 012100 read-only, exactly as the README's command does.

import { join } from 'node:path';
import { ensureBuilt, ROOT, startTool } from '../helpers/cli.js';
import { REFERENCE, referenceDataDir } from '../helpers/reference.js';

export const REFERENCE_RUN_ARGS = [
  '--context',
  'reference',
  '--config_from_json',
  join(referenceDataDir('run012100'), '012100-config.json'),
  '--extra_dirs',
  referenceDataDir('run012100'),
];

export interface RunningServer {
  url: string;
  pid: number;
  stderr: () => string;
  stop(): Promise<void>;
}

/** Start `microstrax ARGS --port 0` and wait for its "serving ... at URL" line. */
export async function startMicrostrax(
  args: readonly string[] = REFERENCE_RUN_ARGS,
  cwd = ROOT,
): Promise<RunningServer> {
  ensureBuilt();
  const tool = startTool('microstrax', [...args, '--port', '0'], cwd);
  let stderr = '';
  tool.child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`microstrax did not start: ${stderr}`)), 60_000);
    const look = (): void => {
      const m = /at (http:\/\/[^\s]+) /.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    tool.child.stderr!.on('data', look);
    void tool.done.then((r) => {
      clearTimeout(timer);
      reject(new Error(`microstrax exited (${r.code}): ${r.stderr}`));
    });
  });
  return {
    url,
    pid: tool.child.pid!,
    stderr: () => stderr,
    async stop() {
      if (tool.child.exitCode === null) {
        tool.child.kill('SIGTERM');
        await tool.done;
      }
    },
  };
}

export { REFERENCE };
