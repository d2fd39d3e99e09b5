// --profile_to FILE: a V8 CPU profile of the main thread (open it in Chrome DevTools or
// speedscope). Worker threads are not included.

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

export async function startProfile(file: string): Promise<{ stop(): Promise<string> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      const out = /\.cpuprofile$/.test(file) ? file : `${file}.cpuprofile`;
      writeFileSync(out, JSON.stringify(profile));
      return out;
    },
  };
}
